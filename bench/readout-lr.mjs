#!/usr/bin/env node
// npm run bench:readout-lr — how the readout's default peak learning rate was chosen: validation
// accuracy of the temporal head on grows vs shrinks (synthetic motion set, tiny model, 3 seeds) at
// each candidate rate. Test accuracy is printed too, but the choice reads validation only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clipFeatures, loadClipsJsonl, openIndex, writeTinyModel, generateSynth, fitReadout, READOUT_LR } from '../dist/index.js';

const RATES = [1e-3, 3e-3, 1e-2];
const SEEDS = [0, 1, 2];
const work = mkdtempSync(join(tmpdir(), 'vidlens-readout-lr-'));
await writeTinyModel(join(work, 'tiny'));
await generateSynth({ out: join(work, 'motion'), seed: 11, perDomain: 1200, domains: ['lab'], size: 128, fps: 8, seconds: 4 });
const data = await loadClipsJsonl(join(work, 'motion', 'clips.jsonl'));
const { catalog, encoder } = await openIndex(join(work, 'db'), { model: join(work, 'tiny'), create: true });
const features = await clipFeatures(data.clips, data.path, encoder, catalog);
await encoder.dispose();

const { frames: steps, dim } = features;
const motion = data.clips.map((c) => c.labels.find((l) => l.startsWith('motion:')));
const keep = data.clips.flatMap((_, i) => (['motion:grows', 'motion:shrinks'].includes(motion[i]) ? [i] : []));
const frames = new Float32Array(keep.length * steps * dim);
keep.forEach((c, k) => frames.set(features.frameVectors.subarray(c * steps * dim, (c + 1) * steps * dim), k * steps * dim));
const labels = keep.map((c) => (motion[c] === 'motion:grows' ? 0 : 1));
const [train, val, test] = ['train', 'val', 'test'].map((s) => keep.flatMap((c, k) => (data.clips[c].split === s ? [k] : [])));
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

console.log(`temporal head, grows vs shrinks: ${train.length} train / ${val.length} val / ${test.length} test clips, ≤ 60 epochs (patience 15), batch 64, seeds ${SEEDS.join(', ')}`);
const rows = [];
for (const lr of RATES) {
  const valAcc = [];
  const testAcc = [];
  for (const seed of SEEDS) {
    const r = await fitReadout({ frames, clips: keep.length, steps, dim, labels, classes: 2, train, val, head: 'temporal', seed, epochs: 60, patience: 15, batchSize: 64, lr });
    valAcc.push(100 * r.valAccuracy);
    testAcc.push((100 * test.filter((i) => (r.logits[2 * i] > r.logits[2 * i + 1] ? 0 : 1) === labels[i]).length) / test.length);
  }
  rows.push({ lr, val: mean(valAcc) });
  console.log(`lr ${lr.toExponential(0)}: validation ${mean(valAcc).toFixed(1)} % (${valAcc.map((a) => a.toFixed(0)).join(' / ')}), test ${mean(testAcc).toFixed(1)} %`);
}
const best = rows.reduce((a, b) => (b.val > a.val ? b : a));
console.log(`best on validation: ${best.lr.toExponential(0)}; the default (READOUT_LR) is ${READOUT_LR.toExponential(0)} ${best.lr === READOUT_LR ? '(agrees)' : '(DIFFERS)'}`);
rmSync(work, { recursive: true, force: true });
