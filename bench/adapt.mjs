#!/usr/bin/env node
// npm run bench:adapt — what retrieval adapters do on the synthetic benchmark (tiny model, frozen
// features), written to docs/adaptation.md with a plot: zero-shot vs InfoNCE (with and without the
// temporal head) vs SMS vs angular margin (EK100 mAP / nDCG on the clean test split), the reranker,
// noisy training pairs, a transfer matrix, and readouts on motion.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clipFeatures, loadClipsJsonl, mirMetrics, retrievalMetrics, transferMatrix, renderSvg, similarityMatrix, subMatrix, openIndex, adaptVideo, adaptText, adapterSpec, initialWeights, captionSet, embedTexts, mixMir, rerankBothWays, transpose, Reranker, writeTinyModel, generateSynth, linearProbe, fitReadout, standardise, fitRetrievalHeads, fitReranker, initTf, readNpy, Rng } from '../dist/index.js';

const SEEDS = [0, 1, 2];
const DOMAINS = ['lab', 'factory', 'night', 'helmet'];
const work = mkdtempSync(join(tmpdir(), 'vidlens-adapt-'));
const started = performance.now();
const backend = await initTf();
await writeTinyModel(join(work, 'tiny'));
await generateSynth({ out: join(work, 'synth'), seed: 7, perDomain: 60, domains: DOMAINS, size: 128, fps: 8, seconds: 4 });
const data = await loadClipsJsonl(join(work, 'synth', 'clips.jsonl'));
const rel = await readNpy(join(work, 'synth', 'relevancy.npy'));
const { catalog, encoder } = await openIndex(join(work, 'db'), { model: join(work, 'tiny'), create: true });
const dim = encoder.manifest.dim;
const features = await clipFeatures(data.clips, data.path, encoder, catalog);
const { captions, captionClip } = captionSet(data.clips);
const text = await embedTexts(encoder, captions);
await encoder.dispose();

const clipsWhere = (f) => data.clips.flatMap((c, i) => (f(c) ? [i] : []));
const capsOf = (clips) => { const s = new Set(clips); return captionClip.flatMap((c, j) => (s.has(c) ? [j] : [])); };
const ownCaps = new Map(data.clips.map((_, i) => [i, capsOf([i])]));
const zeroHeads = { weights: initialWeights(adapterSpec(dim), 0) };

/** EK100 mAP / nDCG (avg of both directions) and text→video R@1 of heads on some clips and their captions. */
function evaluate(heads, clips) {
  const caps = capsOf(clips);
  const t = adaptText(heads, pick(text, caps), dim);
  const v = adaptVideo(heads, pick(features.vectors, clips), pick(features.frameVectors, clips, features.frames * dim), features.frames, dim);
  const sim = similarityMatrix(v, t, dim);
  const m = mirMetrics(sim, subMatrix(rel, clips, caps));
  const local = new Map(clips.map((c, i) => [c, i]));
  const r = retrievalMetrics(similarityMatrix(t, v, dim), { captionVideo: caps.map((j) => local.get(captionClip[j])) });
  return { mAP: 100 * m.mAP.avg, nDCG: 100 * m.nDCG.avg, R1: r.t2v.R1 };
}
function pick(rows, idx, width = dim) { const out = new Float32Array(idx.length * width); idx.forEach((r, i) => out.set(rows.subarray(r * width, (r + 1) * width), i * width)); return out; }

/** As \`evaluate\`, zero-shot first stage with each query's top 20 re-scored by the reranker (both directions). */
function evaluateReranked(reranker, clips) {
  const caps = capsOf(clips);
  const frames = pick(features.frameVectors, clips, features.frames * dim);
  const ranked = rerankBothWays(similarityMatrix(pick(text, caps), pick(features.vectors, clips), dim), reranker, pick(text, caps), frames, 20);
  const r2 = subMatrix(rel, clips, caps);
  const m = mixMir(mirMetrics(transpose(ranked.t2v), r2), mirMetrics(transpose(ranked.v2t), r2));
  const local = new Map(clips.map((c, i) => [c, i]));
  const r = retrievalMetrics(ranked.t2v, { captionVideo: caps.map((j) => local.get(captionClip[j])) });
  return { mAP: 100 * m.mAP.avg, nDCG: 100 * m.nDCG.avg, R1: r.t2v.R1 };
}

async function fit(loss, train, val, seed, noise = 0, temporalWidth = undefined) {
  // angular-meta: a clean meta set of 10 % of the training clips, never corrupted.
  const metaClips = loss === 'angular-meta' ? new Rng(2000 + seed).shuffle(train).slice(0, Math.round(train.length * 0.1)) : [];
  if (metaClips.length) train = train.filter((c) => !metaClips.includes(c));
  const rng = new Rng(1000 + seed);
  const positives = new Map();
  for (const c of train) {
    let own = ownCaps.get(c);
    if (noise > 0 && rng.uniform() < noise) own = ownCaps.get(rng.pick(train.filter((x) => x !== c))); // a swapped caption
    positives.set(c, loss === 'sms' ? capsOf(train).filter((j) => rel.data[c * rel.cols + j] > 0.1) : own);
  }
  const f = await fitRetrievalHeads({
    text, video: features.vectors, frames: temporalWidth ? { data: features.frameVectors, steps: features.frames } : undefined, temporalWidth, dim, captionClip, rel, trainClips: train, valClips: val, valCaps: capsOf(val), positives, trainCaps: ownCaps, metaClips,
    loss, epochs: 30, batchSize: 32, lr: 1e-3, patience: 5, seed,
  });
  return f.best.heads;
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const fmt = (xs) => `${mean(xs).toFixed(2)} ± ${sd(xs).toFixed(2)}`;
const train = clipsWhere((c) => c.split === 'train');
const val = clipsWhere((c) => c.split === 'val');
const test = clipsWhere((c) => c.split === 'test');

// 1. Losses, all domains.
const rows1 = [];
const deltas = [];
const zs = evaluate(zeroHeads, test);
rows1.push(['zero-shot', `${zs.mAP.toFixed(2)}`, `${zs.nDCG.toFixed(2)}`, `${zs.R1.toFixed(2)}`]);
for (const loss of ['infonce', 'sms', 'angular', 'angular-meta']) {
  const runs = [];
  for (const seed of SEEDS) runs.push(evaluate(await fit(loss, train, val, seed), test));
  rows1.push([loss, fmt(runs.map((r) => r.mAP)), fmt(runs.map((r) => r.nDCG)), fmt(runs.map((r) => r.R1))]);
  deltas.push(`${loss} ${(mean(runs.map((r) => r.mAP)) - zs.mAP >= 0 ? '+' : '')}${(mean(runs.map((r) => r.mAP)) - zs.mAP).toFixed(2)} mAP`);
  console.log(`losses: ${loss} done`);
}
{
  const runs = [];
  for (const seed of SEEDS) runs.push(evaluate(await fit('infonce', train, val, seed, 0, 64), test));
  rows1.push(['infonce + temporal head (width 64)', fmt(runs.map((r) => r.mAP)), fmt(runs.map((r) => r.nDCG)), fmt(runs.map((r) => r.R1))]);
  deltas.push(`infonce + temporal head ${(mean(runs.map((r) => r.mAP)) - zs.mAP >= 0 ? '+' : '')}${(mean(runs.map((r) => r.mAP)) - zs.mAP).toFixed(2)} mAP`);
  console.log('losses: infonce + temporal head done');
}

// 1b. Cross-modal refinement reranker on the zero-shot first stage.
let rerankDelta = '';
const rerankRows = [['zero-shot first stage', `${zs.mAP.toFixed(2)}`, `${zs.nDCG.toFixed(2)}`, `${zs.R1.toFixed(2)}`]];
{
  const runs = [];
  const kept = [];
  for (const seed of SEEDS) {
    const shape = { dim, steps: features.frames, width: 64, heads: 4, hidden: 128 };
    const r = await fitReranker({ text, video: features.vectors, frames: features.frameVectors, rel, captionClip, trainClips: train, valClips: val, shape, epochs: 15, batchSize: 16, candidates: 16, rerankK: 20, lr: 1e-3, temperature: 0.05, patience: 5, seed });
    kept.push(r.best.epoch);
    runs.push(evaluateReranked(new Reranker(shape, r.best.weights), test));
  }
  rerankRows.push([`+ reranker (top 20; best epochs ${kept.join(', ')})`, fmt(runs.map((r) => r.mAP)), fmt(runs.map((r) => r.nDCG)), fmt(runs.map((r) => r.R1))]);
  const change = (key) => { const d = mean(runs.map((r) => r[key])) - zs[key]; return `${d >= 0 ? '+' : ''}${d.toFixed(2)}`; };
  rerankDelta = `mAP ${change('mAP')}, nDCG ${change('nDCG')}, R@1 ${change('R1')}`;
  console.log('reranker done');
}

// 2. Noisy pairs: a share p of training clips paired with another clip's caption.
const noise = [];
for (const p of [0, 0.2, 0.4]) {
  for (const loss of ['infonce', 'angular', 'angular-meta']) {
    const runs = [];
    for (const seed of SEEDS) runs.push(evaluate(await fit(loss, train, val, seed, p), test).nDCG);
    noise.push({ p, loss, nDCG: mean(runs), sd: sd(runs) });
  }
  console.log(`noise: p=${p} done`);
}

// 3. Transfer matrix (InfoNCE): train on one domain, test on each.
const inDomain = (d, split) => clipsWhere((c) => c.domain === d && c.split === split);
const heads = {};
for (const d of DOMAINS) heads[d] = await fit('infonce', inDomain(d, 'train'), inDomain(d, 'val'), 0);
const tm = transferMatrix(DOMAINS, (trainDomain, testDomain) => evaluate(trainDomain ? heads[trainDomain] : zeroHeads, inDomain(testDomain, 'test')).mAP);

// 4. Motion: mean pooling vs the temporal head, on a larger lab-only set (1,200 clips; splits 720 / 240 / 240).
await generateSynth({ out: join(work, 'motion'), seed: 11, perDomain: 1200, domains: ['lab'], size: 128, fps: 8, seconds: 4 });
const motionData = await loadClipsJsonl(join(work, 'motion', 'clips.jsonl'));
const opened = await openIndex(join(work, 'db'), { create: false });
const motionFeatures = await clipFeatures(motionData.clips, motionData.path, opened.encoder, opened.catalog);
await opened.encoder.dispose();
const motionOf = motionData.clips.map((c) => c.labels.find((l) => l.startsWith('motion:')).slice(7));
const TASKS = [
  ['all 9 motions', null],
  ['left vs right', ['left', 'right']],
  ['grows vs shrinks', ['grows', 'shrinks']],
  ['appears vs disappears', ['appears', 'disappears']],
];
const motionRows = [];
const observations = [];
for (const [name, pair] of TASKS) {
  const keep = motionData.clips.flatMap((c, i) => (!pair || pair.includes(motionOf[i]) ? [i] : []));
  const classes = pair ?? [...new Set(motionOf)].sort();
  const frames = new Float32Array(keep.length * motionFeatures.frames * dim);
  keep.forEach((c, k) => frames.set(motionFeatures.frameVectors.subarray(c * motionFeatures.frames * dim, (c + 1) * motionFeatures.frames * dim), k * motionFeatures.frames * dim));
  const labels = keep.map((c) => classes.indexOf(motionOf[c]));
  const splitOf = (s) => keep.flatMap((c, k) => (motionData.clips[c].split === s ? [k] : []));
  const [tr, va, te] = ['train', 'val', 'test'].map(splitOf);
  const row = [name, `${te.length}`, `${(100 / classes.length).toFixed(1)}`];
  const pooled = new Float32Array(keep.length * dim);
  for (let k = 0; k < keep.length; k++) for (let t = 0; t < motionFeatures.frames; t++) for (let j = 0; j < dim; j++) pooled[k * dim + j] += frames[(k * motionFeatures.frames + t) * dim + j] / motionFeatures.frames;
  const probe = await linearProbe({ features: standardise(pooled, tr, 1, dim), dim, labels, classes: classes.length, train: tr, val: va });
  let probeCorrect = 0;
  for (const i of te) {
    const r = Array.from(probe.logits.subarray(i * classes.length, (i + 1) * classes.length));
    if (r.indexOf(Math.max(...r)) === labels[i]) probeCorrect++;
  }
  row.push(`${((100 * probeCorrect) / te.length).toFixed(2)} (λ ${probe.lambda.toExponential(1)})`);
  const byHead = {};
  for (const head of ['mean', 'temporal', 'attentive']) {
    const accs = [];
    for (const seed of SEEDS) {
      const r = await fitReadout({ frames, clips: keep.length, steps: motionFeatures.frames, dim, labels, classes: classes.length, train: tr, val: va, head, seed, epochs: 60, patience: 15, batchSize: 64 });
      let correct = 0;
      for (const i of te) {
        const row = Array.from(r.logits.subarray(i * classes.length, (i + 1) * classes.length));
        if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
      }
      accs.push((100 * correct) / te.length);
    }
    row.push(fmt(accs));
    byHead[head] = accs;
  }
  motionRows.push(row);
  const chance = 100 / classes.length;
  // Two binomial standard errors at chance for this test set (and at least two sd across seeds).
  const margin = (accs) => Math.max(200 * Math.sqrt((chance / 100) * (1 - chance / 100) / te.length), 2 * sd(accs));
  const above = (accs) => mean(accs) - chance > margin(accs);
  observations.push(`- ${name}: mean pooling ${above(byHead.mean) ? 'is above' : 'is not above'} chance (${mean(byHead.mean).toFixed(1)} vs ${chance.toFixed(1)}); ` +
    `the temporal head ${above(byHead.temporal) ? 'is above' : 'is not above'} chance (${mean(byHead.temporal).toFixed(1)})` +
    `${mean(byHead.temporal) - mean(byHead.mean) > margin(byHead.temporal) ? ' and beats mean pooling' : ' and does not beat mean pooling beyond noise'}.`);
  console.log(`motion: ${name} done`);
}

const svg = await renderSvg({
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: 'Clean-test nDCG (EK100, %) vs share of swapped training captions',
  width: 360, height: 220,
  data: { values: noise },
  mark: { type: 'line', point: true },
  encoding: { x: { field: 'p', type: 'quantitative', title: 'share of noisy pairs p' }, y: { field: 'nDCG', type: 'quantitative', scale: { zero: false }, title: 'nDCG (%)' }, color: { field: 'loss', type: 'nominal' } },
});
writeFileSync(join(import.meta.dirname, '..', 'docs', 'adaptation-noise.svg'), svg);

const table = (header, rows) => [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const seconds = (performance.now() - started) / 1000;
const md = `# Adapting retrieval from a few labels — measured

Generated by \`npm run bench:adapt\` on ${new Date().toISOString().slice(0, 10)} (2 cores, tfjs ${backend} backend, ${seconds.toFixed(0)} s).
Synthetic benchmark \`vidlens synth --seed 7 --per-domain 60\` (240 clips, 720 captions; splits 144 / 48 / 48 clips),
frozen features of the **tiny random-weight model** (\`vidlens model tiny\`, seed 0), mean-pooled over 8 frames.
Adapters: one linear head per modality starting at the identity, Adam lr 1e-3, batch 32, ≤ 30 epochs,
early stopping on validation mAP (patience 5); mean ± sd over ${SEEDS.length} seeds. Metrics on the **test split**:
EK100 MIR mAP and nDCG (average of both directions, ×100; relevancy = synth \`relevancy.npy\`) and text→video R@1 (%).

Read these numbers as what they are: the tiny model's weights are random, so its text and video features share no
meaning to start from, and what an adapter can learn is bounded by what survives in its features. The
benchmark's motions cannot be separated by mean pooling at all (time reversals), so no pooled-feature
adapter can learn them; only colour, shape and size are in reach.

## Losses

${table(['method', 'mAP', 'nDCG', 'R@1'], rows1)}

Change against zero-shot on the test split: ${deltas.join(', ')} (points ×100). Differences of this size are
within a few standard deviations across seeds: on these random features no loss helps materially.

*infonce + temporal head*: the video side pools its 8 frames through a temporal self-attention residual
(one head of width 64, zero-initialised output projection) before its linear head.

## Cross-modal refinement reranker

Text attends to the clip's frame tokens and the frames to the text (multi-head cross-attention, residual +
LayerNorm, gated feed-forward, residual + LayerNorm, width 64, 4 heads), scoring \`s₀ + β·cos\` with β learned
from 0. Trained on the training split's captions against their own clip and the 15 hardest other training clips
of the frozen model (cross-entropy against normalised relevancy, τ 0.05, Adam 1e-3, batch 16, ≤ 15 epochs,
patience 5 on validation text→video mAP with the top 20 reranked). Test: each caption's top 20 clips and each clip's
top 20 captions re-scored; metrics as above.

${table(['method', 'mAP', 'nDCG', 'R@1'], rerankRows)}

Change against the first stage alone: ${rerankDelta} (points). The reranker only reorders each query's top 20, so it
can move R@1 and the head of each ranking but little of mAP, which also weighs relevant clips ranked below 20; and with
random-weight features there is little cross-modal structure for it to refine. Validation early stopping kept an
epoch ≥ 1 in every seed, so what it learned on the training captions carried over to validation, not necessarily to test.

## Noisy pairs (MAMA's claim)

A share *p* of training clips is paired with another clip's caption; clean test nDCG (%). Meta-reweighting
learns sample weights from a clean meta set (10 % of the training clips, held out and never corrupted).

${table(['p', 'InfoNCE', 'angular margin (μ = 0.2)', 'angular + meta-reweighting'], [0, 0.2, 0.4].map((p) => [String(p), ...['infonce', 'angular', 'angular-meta'].map((l) => { const r = noise.find((n) => n.p === p && n.loss === l); return `${r.nDCG.toFixed(2)} ± ${r.sd.toFixed(2)}`; })]))}

![noise](adaptation-noise.svg)

## Transfer matrix (InfoNCE, test mAP ×100)

Rows: training domain (zero-shot first); columns: test domain; gap = in-domain − mean cross-domain.
A row equal to zero-shot means early stopping kept epoch 0 (no validation gain in that domain).
The gap mixes adaptation with how hard each test domain is (zero-shot mAP differs by domain); compare each
row with the zero-shot row column by column.

${table(['train \\ test', ...tm.cols, 'gap'], tm.rows.map((r, i) => [r, ...tm.values[i].map((v) => v.toFixed(2)), i === 0 ? '—' : tm.gap[r].toFixed(2)]))}

## Motion: mean pooling vs the temporal head

Top-1 test accuracy (%) of a classifier on the frozen per-frame features (8 frames) of a lab-only set of 1,200 clips
(\`--seed 11\`; splits 720 / 240 / 240 over all motions). "Above chance" and "beats" below mean by more than two
binomial standard errors at chance for that test set (and two sd across seeds). *linear probe*: logistic regression on the mean-pooled
features with the REFERENCES §3 regularisation sweep, refit on train + val (deterministic, one run). *mean*: mean over
time, then a linear layer (SciVid's linear readout). *temporal*: a temporal self-attention residual with a learned temporal position embedding and a
zero-initialised output projection (TVTSv2's degradation-free idea), then the same readout. *attentive*: SciVid's
attentive readout (LayerNorm, temporal position embedding, 4 learned queries cross-attending over the frames with
4 heads, residual, LayerNorm, 4× MLP with residual, mean over queries, linear). AdamW (peak 1e-2, weight decay 1e-4 on
weight matrices) with 5 % linear warmup and cosine decay, batch 64, ≤ 60 epochs (patience 15), best validation epoch kept; features z-scored with training statistics.

${table(['task', 'test clips', 'chance', 'linear probe (pooled)', 'mean pooling readout', 'temporal head', 'attentive readout'], motionRows)}

The pairs are time reversals of each other, so an order-free average of frames carries no signal to separate
them: mean pooling must sit at chance there, and any gain of the temporal head is order information.

${observations.join('\n')}

Where the temporal head fails (left vs right), the frozen features are the limit: the tiny model keeps only coarse
position (a linear probe recovers a 3×3 cell well above chance, far from perfectly), and a move of 40 % of the frame
in 4 s often stays inside one such cell.

## Not measured yet

Test-time augmentation
(\`index --tta flip\`) is measured in BENCHMARKS.md. Not in this study: zero-shot classification of motion per domain (\`vidlens eval classify --label-prefix motion:\`).
With a real model (e.g. CLIP ViT-B/32) the same script answers the same questions once its features are available offline.
`;
writeFileSync(join(import.meta.dirname, '..', 'docs', 'adaptation.md'), md);
console.log(md);
rmSync(work, { recursive: true, force: true });
