#!/usr/bin/env node
// npm run bench:pretrained — the bundled pretrained model against its targets, through the CLI a user
// runs: on a synthetic set whose seed pretraining never used (seed 31, 100 clips per domain), zero-shot
// `vidlens eval classify --label-prefix color:|shape:|size:` per domain on single-object clips
// (count:1) and on all clips, and text→video R@5 of `vidlens eval retrieval` per domain, next to the
// random tiny model on the same clips. Then pretraining's own frame-level measure (zero-shot top-1 on
// single-object frames) on its held-out clips, on its training clips and on 400 clips of an unused seed,
// which shows how far the held-out clips' figure can be trusted. Prints Markdown tables for BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLORS, loadEncoder, PRETRAIN_DEFAULTS, pretrainFrames, SHAPES, similarityMatrix, singleObjectTop1, SIZES, zeroShotPrompt } from '../dist/index.js';

const bin = join(import.meta.dirname, '..', 'bin', 'vidlens.js');
const work = mkdtempSync(join(tmpdir(), 'vidlens-pretrained-'));
const DOMAINS = ['lab', 'factory', 'night', 'helmet'];

function vidlens(args) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`vidlens ${args.join(' ')} failed:\n${r.stderr}`);
  return args.includes('--json') ? JSON.parse(r.stdout) : r.stdout;
}

const synth = join(work, 'synth');
vidlens(['synth', '--out', synth, '--seed', '31', '--per-domain', '100']);
const clips = readFileSync(join(synth, 'clips.jsonl'), 'utf8').trim().split('\n');
const single = join(synth, 'single.jsonl');
writeFileSync(single, `${clips.filter((l) => JSON.parse(l).labels.includes('count:1')).join('\n')}\n`);

const models = { pretrained: join(work, 'pretrained'), tiny: join(work, 'tiny') };
vidlens(['model', 'pretrained', models.pretrained]);
vidlens(['model', 'tiny', models.tiny]);
const rows = [];
for (const [name, model] of Object.entries(models)) {
  const db = join(work, `db-${name}`);
  const started = performance.now();
  for (const d of DOMAINS) vidlens(['index', join(synth, 'videos', d), '--db', db, '--model', model, '--domain', d, '--json']);
  const indexSeconds = (performance.now() - started) / 1000;
  const acc = {};
  for (const family of ['color', 'shape', 'size']) {
    for (const [set, dataset] of [['single', single], ['all', join(synth, 'clips.jsonl')]]) {
      const report = vidlens(['eval', 'classify', '--db', db, '--dataset', dataset, '--label-prefix', `${family}:`, '--json']);
      for (const d of DOMAINS) acc[`${family}.${set}.${d}`] = report.domains[d]?.metrics.classify.acc1;
    }
  }
  const retrieval = vidlens(['eval', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--relevancy', join(synth, 'relevancy.npy'), '--json']);
  for (const d of DOMAINS) {
    const m = retrieval.domains[d].metrics;
    rows.push({ model: name, domain: d, ...Object.fromEntries(Object.entries(acc).filter(([k]) => k.endsWith(`.${d}`)).map(([k, v]) => [k.slice(0, -d.length - 1), v])), R5: m.retrieval.t2v.R5, mAP: 100 * m.mir.mAP.avg, nDCG: 100 * m.mir.nDCG.avg });
  }
  console.log(`${name}: indexed ${clips.length} clips in ${indexSeconds.toFixed(1)} s`);
}
const f = (v) => (v === undefined || v === null ? '–' : v.toFixed(1));
console.log(`\nsingle-object clips: ${readFileSync(single, 'utf8').trim().split('\n').length} of ${clips.length}\n`);
console.log('| model | domain | colour (count:1) | shape (count:1) | size (count:1) | colour (all) | shape (all) | size (all) | t2v R@5 | mAP | nDCG |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.model} | ${r.domain} | ${f(r['color.single'])} | ${f(r['shape.single'])} | ${f(r['size.single'])} | ${f(r['color.all'])} | ${f(r['shape.all'])} | ${f(r['size.all'])} | ${f(r.R5)} | ${f(r.mAP)} | ${f(r.nDCG)} |`);

// Pretraining's curve is measured on the first 100 clips of its seed (43 single-object scenes, each seen
// in several frames); the same measure on other clips tells sampling from what was learnt.
const { encoder } = await loadEncoder(models.pretrained);
const dim = encoder.manifest.dim;
const frameSets = [
  ['pretraining seed, held-out clips 0–99', PRETRAIN_DEFAULTS.seed, (c) => c < PRETRAIN_DEFAULTS.heldOutClips],
  ['pretraining seed, training clips 100–399', PRETRAIN_DEFAULTS.seed, (c) => c >= PRETRAIN_DEFAULTS.heldOutClips],
  ['seed 77 (never used), 400 clips', 77, () => true],
];
console.log('\n| frames | single-object frames (clips) | colour | shape | size |\n| --- | --- | --- | --- | --- |');
for (const [name, seed, keep] of frameSets) {
  const frames = await pretrainFrames({ seed, clips: 400, framesPerClip: PRETRAIN_DEFAULTS.framesPerClip, imageSize: encoder.manifest.frame.size });
  const picked = frames.objects.flatMap((objs, i) => (objs.length === 1 && keep(frames.clip[i]) ? [i] : []));
  const vectors = await encoder.embedFrames(encoder.prepareFrames(picked.map((i) => frames.rgb[i])));
  const objects = picked.map((i) => frames.objects[i]);
  const accuracy = async (values, of) => singleObjectTop1(similarityMatrix(vectors, await encoder.embedTexts(values.map(zeroShotPrompt)), dim), objects, values, of);
  const [color, shape, size] = [await accuracy(COLORS, (o) => o.color), await accuracy(SHAPES, (o) => o.shape), await accuracy(SIZES, (o) => o.size)];
  console.log(`| ${name} | ${picked.length} (${new Set(picked.map((i) => frames.clip[i])).size}) | ${f(color)} | ${f(shape)} | ${f(size)} |`);
}
await encoder.dispose();
rmSync(work, { recursive: true, force: true });
