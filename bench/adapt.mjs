#!/usr/bin/env node
// npm run bench:adapt — what adaptation does on the synthetic benchmark (the bundled pretrained model,
// frozen features), written to docs/adaptation.md with plots: zero-shot vs InfoNCE (with and without the
// temporal head) vs SMS vs angular margin (EK100 mAP / nDCG on the clean test split), the reranker,
// noisy training pairs, zero-shot per domain and a transfer matrix, adaptation curves on a target
// domain, test-time flip augmentation, and readouts on motion, colour and shape.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clipFeatures, loadClipsJsonl, mirMetrics, retrievalMetrics, transferMatrix, renderSvg, similarityMatrix, subMatrix, openIndex, adaptVideo, adaptText, adapterSpec, initialWeights, captionSet, embedTexts, mixMir, rerankBothWays, transpose, Reranker, writePretrainedModel, generateSynth, linearProbe, fitReadout, standardise, fitRetrievalHeads, fitReranker, initTf, readNpy, Rng } from '../dist/index.js';

const SEEDS = [0, 1, 2];
const DOMAINS = ['lab', 'factory', 'night', 'helmet'];
const work = mkdtempSync(join(tmpdir(), 'vidlens-adapt-'));
const started = performance.now();
const backend = await initTf();
const model = join(work, 'model');
await writePretrainedModel(model);
let dim = 0;

/** A synthetic set's frozen features: clips, captions and their embeddings, relevancy, caption lookups. */
async function loadSet(name, seed, perDomain, domains, tta = 'none') {
  const out = join(work, name);
  await generateSynth({ out, seed, perDomain, domains, size: 128, fps: 8, seconds: 4 });
  const data = await loadClipsJsonl(join(out, 'clips.jsonl'));
  const rel = await readNpy(join(out, 'relevancy.npy'));
  const { catalog, encoder } = await openIndex(join(work, `db-${name}-${tta}`), { model, create: true, tta });
  dim = encoder.manifest.dim;
  const features = await clipFeatures(data.clips, data.path, encoder, catalog);
  const { captions, captionClip } = captionSet(data.clips);
  const text = await embedTexts(encoder, captions);
  await encoder.dispose();
  const capsOf = (clips) => { const s = new Set(clips); return captionClip.flatMap((c, j) => (s.has(c) ? [j] : [])); };
  const ownCaps = new Map(data.clips.map((_, i) => [i, capsOf([i])]));
  const clipsWhere = (f) => data.clips.flatMap((c, i) => (f(c) ? [i] : []));
  return { data, rel, features, text, captionClip, capsOf, ownCaps, clipsWhere };
}

const main = await loadSet('synth', 7, 60, DOMAINS);
const { clipsWhere } = main;
const zeroHeads = { weights: initialWeights(adapterSpec(dim), 0) };

/** EK100 mAP / nDCG (avg of both directions) and text→video R@1 of heads on some clips and their captions. */
function evaluate(heads, clips, set = main) {
  const { text, features, rel, captionClip } = set;
  const caps = set.capsOf(clips);
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
function evaluateReranked(reranker, clips, set = main) {
  const { text, features, rel, captionClip } = set;
  const caps = set.capsOf(clips);
  const frames = pick(features.frameVectors, clips, features.frames * dim);
  const ranked = rerankBothWays(similarityMatrix(pick(text, caps), pick(features.vectors, clips), dim), reranker, pick(text, caps), frames, 20);
  const r2 = subMatrix(rel, clips, caps);
  const m = mixMir(mirMetrics(transpose(ranked.t2v), r2), mirMetrics(transpose(ranked.v2t), r2));
  const local = new Map(clips.map((c, i) => [c, i]));
  const r = retrievalMetrics(ranked.t2v, { captionVideo: caps.map((j) => local.get(captionClip[j])) });
  return { mAP: 100 * m.mAP.avg, nDCG: 100 * m.nDCG.avg, R1: r.t2v.R1 };
}

async function fit(loss, train, val, seed, noise = 0, temporalWidth = undefined, set = main) {
  const { text, features, rel, captionClip, capsOf, ownCaps } = set;
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

/** A reranker trained on some clips of a set (the shape of section 1b). */
async function fitRerankerOn(train, val, seed, set = main) {
  const { text, features, rel, captionClip } = set;
  const shape = { dim, steps: features.frames, width: 64, heads: 4, hidden: 128 };
  const r = await fitReranker({ text, video: features.vectors, frames: features.frameVectors, rel, captionClip, trainClips: train, valClips: val, shape, epochs: 15, batchSize: 16, candidates: Math.min(16, train.length - 1), rerankK: 20, lr: 1e-3, temperature: 0.05, patience: 5, seed });
  return { reranker: new Reranker(shape, r.best.weights), epoch: r.best.epoch };
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
    const r = await fitRerankerOn(train, val, seed);
    kept.push(r.epoch);
    runs.push(evaluateReranked(r.reranker, test));
  }
  rerankRows.push([`+ reranker (top 20; best epochs ${kept.join(', ')})`, fmt(runs.map((r) => r.mAP)), fmt(runs.map((r) => r.nDCG)), fmt(runs.map((r) => r.R1))]);
  const change = (key) => { const d = mean(runs.map((r) => r[key])) - zs[key]; return `${d >= 0 ? '+' : ''}${d.toFixed(2)}`; };
  rerankDelta = `mAP ${change('mAP')}, nDCG ${change('nDCG')}, R@1 ${change('R1')}`;
  console.log('reranker done');
}

// 2. Noisy pairs: a share p of training clips paired with another clip's caption.
const noise = [];
for (const p of [0, 0.2, 0.4, 0.6]) {
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

// 3b. Adaptation curves: k labelled clips of a target domain (night), lab + night set of 170 clips per domain
// (splits 102 / 34 / 34), gap = lab zero-shot − night zero-shot on their test splits.
const curveSet = await loadSet('curves', 13, 170, ['lab', 'night']);
const curveSplit = (d, split) => curveSet.clipsWhere((c) => c.domain === d && c.split === split);
const curveZs = { lab: evaluate(zeroHeads, curveSplit('lab', 'test'), curveSet).mAP, night: evaluate(zeroHeads, curveSplit('night', 'test'), curveSet).mAP };
const curveGap = curveZs.lab - curveZs.night;
const curves = [];
for (const k of [10, 30, 100]) {
  for (const method of ['linear adapter', 'temporal-head adapter', 'reranker']) {
    const runs = [];
    for (const seed of SEEDS) {
      const train = new Rng(3000 + seed).shuffle(curveSplit('night', 'train')).slice(0, k);
      const val = curveSplit('night', 'val');
      const test = curveSplit('night', 'test');
      if (method === 'reranker') runs.push(evaluateReranked((await fitRerankerOn(train, val, seed, curveSet)).reranker, test, curveSet).mAP);
      else runs.push(evaluate(await fit('infonce', train, val, seed, 0, method === 'linear adapter' ? undefined : 64, curveSet), test, curveSet).mAP);
    }
    curves.push({ k, method, mAP: mean(runs), sd: sd(runs), closed: (100 * (mean(runs) - curveZs.night)) / curveGap });
  }
  console.log(`curves: k=${k} done`);
}

// 3c. Test-time augmentation: the same clips embedded with each frame's features summed with its mirror image's.
const flipSet = await loadSet('synth', 7, 60, DOMAINS, 'flip');
const ttaRows = ['all', ...DOMAINS].map((d) => {
  const clips = clipsWhere((c) => c.split === 'test' && (d === 'all' || c.domain === d));
  const plain = evaluate(zeroHeads, clips);
  const flipped = evaluate(zeroHeads, clips, flipSet);
  return [d, `${plain.mAP.toFixed(2)}`, `${flipped.mAP.toFixed(2)}`, `${plain.nDCG.toFixed(2)}`, `${flipped.nDCG.toFixed(2)}`];
});
console.log('tta done');

// 4. Readouts on a larger lab-only set (1,200 clips; splits 720 / 240 / 240): motion (mean pooling vs the temporal head), colour, shape.
await generateSynth({ out: join(work, 'motion'), seed: 11, perDomain: 1200, domains: ['lab'], size: 128, fps: 8, seconds: 4 });
const motionData = await loadClipsJsonl(join(work, 'motion', 'clips.jsonl'));
const opened = await openIndex(join(work, 'db-motion'), { model, create: true });
const motionFeatures = await clipFeatures(motionData.clips, motionData.path, opened.encoder, opened.catalog);
await opened.encoder.dispose();
const labelsOf = (family) => motionData.clips.map((c) => c.labels.find((l) => l.startsWith(`${family}:`)).slice(family.length + 1));
const TASKS = [
  ['all 9 motions', 'motion', null],
  ['left vs right', 'motion', ['left', 'right']],
  ['grows vs shrinks', 'motion', ['grows', 'shrinks']],
  ['appears vs disappears', 'motion', ['appears', 'disappears']],
  ['colour (5)', 'color', null],
  ['shape (4)', 'shape', null],
];
const motionRows = [];
const observations = [];
for (const [name, family, pair] of TASKS) {
  const motionOf = labelsOf(family);
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
  console.log(`readouts: ${name} done`);
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

const curveSvg = await renderSvg({
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: 'Night test mAP (EK100, %) vs labelled night clips',
  width: 360, height: 220,
  data: { values: curves },
  layer: [
    { mark: { type: 'line', point: true }, encoding: { x: { field: 'k', type: 'quantitative', scale: { type: 'log' }, title: 'labelled clips k (log)' }, y: { field: 'mAP', type: 'quantitative', scale: { zero: false }, title: 'mAP (%)' }, color: { field: 'method', type: 'nominal' } } },
    { data: { values: [{ y: curveZs.night, label: 'night zero-shot' }, { y: curveZs.lab, label: 'lab zero-shot' }] }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
  ],
});
writeFileSync(join(import.meta.dirname, '..', 'docs', 'adaptation-curves.svg'), curveSvg);

const table = (header, rows) => [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const seconds = (performance.now() - started) / 1000;
const zsRow = tm.values[0];
const sourceGap = DOMAINS.slice(1).map((d) => `${d} ${(zsRow[0] - zsRow[DOMAINS.indexOf(d)]).toFixed(2)}`).join(', ');
const md = `# Adapting retrieval from a few labels — measured

Generated by \`npm run bench:adapt\` on ${new Date().toISOString().slice(0, 10)} (2 cores, tfjs ${backend} backend, ${seconds.toFixed(0)} s).
Frozen features of the **bundled pretrained model** (\`vidlens model pretrained\`: a small CLIP trained on single
frames of the synthetic *lab* domain; see the README), mean-pooled over 8 frames. Main set:
\`vidlens synth --seed 7 --per-domain 60\` (240 clips, 720 captions; splits 144 / 48 / 48 clips) — a seed pretraining
never used. Adapters: one linear head per modality starting at the identity, Adam lr 1e-3, batch 32, ≤ 30 epochs,
early stopping on validation mAP (patience 5); mean ± sd over ${SEEDS.length} seeds. Metrics on the **test split**:
EK100 MIR mAP and nDCG (average of both directions, ×100; relevancy = synth \`relevancy.npy\`, half of which is
the motion) and text→video R@1 (%).

The model saw no time: its frame features know colour, shape, size and position, and its text side was trained on
frame descriptions, so motion words in the captions carry no learned meaning. Half of each relevancy value is the
motion, so zero-shot mAP is bounded well below 100 even in the lab.

## Losses

${table(['method', 'mAP', 'nDCG', 'R@1'], rows1)}

Change against zero-shot on the test split: ${deltas.join(', ')} (points ×100).

*infonce + temporal head*: the video side pools its 8 frames through a temporal self-attention residual
(one head of width 64, zero-initialised output projection) before its linear head.
*sms*: each training clip's positives are every training caption with relevancy > 0.1 (soft relevance).

## Cross-modal refinement reranker

Text attends to the clip's frame tokens and the frames to the text (multi-head cross-attention, residual +
LayerNorm, gated feed-forward, residual + LayerNorm, width 64, 4 heads), scoring \`s₀ + β·cos\` with β learned
from 0. Trained on the training split's captions against their own clip and the 15 hardest other training clips
of the frozen model (cross-entropy against normalised relevancy, τ 0.05, Adam 1e-3, batch 16, ≤ 15 epochs,
patience 5 on validation text→video mAP with the top 20 reranked). Test: each caption's top 20 clips and each clip's
top 20 captions re-scored; metrics as above.

${table(['method', 'mAP', 'nDCG', 'R@1'], rerankRows)}

Change against the first stage alone: ${rerankDelta} (points). The reranker only reorders each query's top 20, so it
can move R@1 and the head of each ranking more than mAP, which also weighs relevant clips ranked below 20.

## Noisy pairs (MAMA's claim)

A share *p* of training clips is paired with another clip's caption; clean test nDCG (%). Meta-reweighting
learns sample weights from a clean meta set (10 % of the training clips, held out and never corrupted).

${table(['p', 'InfoNCE', 'angular margin (μ = 0.2)', 'angular + meta-reweighting'], [0, 0.2, 0.4, 0.6].map((p) => [String(p), ...['infonce', 'angular', 'angular-meta'].map((l) => { const r = noise.find((n) => n.p === p && n.loss === l); return `${r.nDCG.toFixed(2)} ± ${r.sd.toFixed(2)}`; })]))}

![noise](adaptation-noise.svg)

## Domain gap and transfer matrix (InfoNCE, test mAP ×100)

Rows: training domain (zero-shot first); columns: test domain; gap = in-domain − mean cross-domain.
A row equal to zero-shot means early stopping kept epoch 0 (no validation gain in that domain).
Zero-shot gap from the source domain (lab − other, mAP points): ${sourceGap}. Each test domain has its own
48-clip gallery, so compare each row with the zero-shot row column by column.

${table(['train \\ test', ...tm.cols, 'gap'], tm.rows.map((r, i) => [r, ...tm.values[i].map((v) => v.toFixed(2)), i === 0 ? '—' : tm.gap[r].toFixed(2)]))}

## Adaptation curves: k labelled clips of the night domain

\`vidlens synth --seed 13 --per-domain 170 --domains lab,night\` (splits 102 / 34 / 34 per domain). Each method is
trained on k night training clips (a random subset per seed), early-stopped on the night validation split, and
tested on the night test split. Zero-shot test mAP: lab ${curveZs.lab.toFixed(2)}, night ${curveZs.night.toFixed(2)}
(gap ${curveGap.toFixed(2)}); *gap closed* = (adapted − night zero-shot) / gap.

${table(['k', 'method', 'night test mAP', 'gap closed (%)'], curves.map((c) => [String(c.k), c.method, `${c.mAP.toFixed(2)} ± ${c.sd.toFixed(2)}`, c.closed.toFixed(0)]))}

![curves](adaptation-curves.svg)

${curves.some((c) => c.closed > 100) ? "A gap closed above 100 % means adaptation on night went past the lab's zero-shot level: the adapters also learn\nwhat zero-shot cannot use in any domain (motion words, which half the relevancy rewards).\n" : ''}
## Test-time augmentation (flip)

Zero-shot test mAP / nDCG with each frame's features summed with its mirror image's (\`index --tta flip\`).

${table(['test domain', 'mAP', 'mAP (flip)', 'nDCG', 'nDCG (flip)'], ttaRows)}

## Readouts: motion (mean pooling vs the temporal head), colour and shape

Top-1 test accuracy (%) of a classifier on the frozen per-frame features (8 frames) of a lab-only set of 1,200 clips
(\`--seed 11\`; splits 720 / 240 / 240 over all classes). "Above chance" and "beats" below mean by more than two
binomial standard errors at chance for that test set (and two sd across seeds). *linear probe*: logistic regression on the mean-pooled
features with the REFERENCES §3 regularisation sweep, refit on train + val (deterministic, one run). *mean*: mean over
time, then a linear layer (SciVid's linear readout). *temporal*: a temporal self-attention residual with a learned temporal position embedding and a
zero-initialised output projection (TVTSv2's degradation-free idea), then the same readout. *attentive*: SciVid's
attentive readout (LayerNorm, temporal position embedding, 4 learned queries cross-attending over the frames with
4 heads, residual, LayerNorm, 4× MLP with residual, mean over queries, linear). AdamW (peak 1e-2, weight decay 1e-4 on
weight matrices) with 5 % linear warmup and cosine decay, batch 64, ≤ 60 epochs (patience 15), best validation epoch kept; features z-scored with training statistics.

${table(['task', 'test clips', 'chance', 'linear probe (pooled)', 'mean pooling readout', 'temporal head', 'attentive readout'], motionRows)}

The motion pairs are time reversals of each other, so an order-free average of frames carries no signal to separate
them: mean pooling must sit at chance there, and any gain of the temporal head is order information.

${observations.join('\n')}

Why left vs right fails here while grows/shrinks and appears/disappears work: the frame features barely encode
*horizontal* position. On single-object lab frames (\`npm run bench:position\`, seed 41), a linear probe recovers the
actor's 3×3 **row** at 68.2 % but its **column** only at 44.6 % (chance 33.3 %), and the prompts "a shape at the middle
left / centre / right" pick the column at 39.7 % (the bundled model of 2026-12-07; the previous one gave the same probe figures and 39.9 %). Pretraining named the cell in only half of the descriptions and
rarely needed it to tell two frames of a batch apart, so the model learnt little of it; a move of 40 % of the
frame's width is then hard to see. Size and visibility, which pretraining did learn, are what the other two pairs turn on.
`;
writeFileSync(join(import.meta.dirname, '..', 'docs', 'adaptation.md'), md);
console.log(md);
rmSync(work, { recursive: true, force: true });
