#!/usr/bin/env node
// npm run bench:adapt-speed — training a retrieval adapter on 2,000 clip features (D = 512) for 20
// epochs (no early stopping) must take under 60 s. Baseline in the same run: one 2,000 × 2,000
// similarity matrix in plain JavaScript.
import { similarityMatrix } from '../dist/eval/similarity.js';
import { l2NormalizeRows } from '../dist/models/vectors.js';
import { fitRetrievalHeads } from '../dist/train/retrieval.js';
import { initTf } from '../dist/train/tf.js';
import { Rng } from '../dist/util/random.js';

const n = 2000;
const dim = 512;
const rng = new Rng(1);
const video = l2NormalizeRows(Float32Array.from({ length: n * dim }, () => rng.normal()), dim);
// Captions: their clip's vector under heavy noise (cosine ≈ 0.08, near the noise level), so retrieval is not trivial.
const text = l2NormalizeRows(Float32Array.from(video, (v) => 0.08 * v + rng.normal() / Math.sqrt(dim)), dim);
const rel = { data: new Float32Array(n * n), rows: n, cols: n };
for (let i = 0; i < n; i++) rel.data[i * n + i] = 1;
const clips = Array.from({ length: n }, (_, i) => i);
const trainClips = clips.slice(0, 1800);
const valClips = clips.slice(1800);
const own = new Map(clips.map((c) => [c, [c]]));

const backend = await initTf();
const t0 = performance.now();
similarityMatrix(text, video, dim);
const baseline = (performance.now() - t0) / 1000;
for (const loss of ['infonce', 'sms', 'angular']) {
  const start = performance.now();
  const fit = await fitRetrievalHeads({
    text, video, dim, captionClip: clips, rel, trainClips, valClips, valCaps: valClips, positives: own, trainCaps: own,
    loss, epochs: 20, batchSize: 128, lr: 1e-3, patience: 1000, seed: 0,
  });
  const seconds = (performance.now() - start) / 1000;
  console.log(`${loss.padEnd(8)} 2000 × ${dim}, 20 epochs (${fit.history.length} run), batch 128, ${backend}: ${seconds.toFixed(1)} s (bound 60 s) ${seconds < 60 ? 'PASS' : 'FAIL'}` +
    ` — ${(seconds / baseline).toFixed(0)}× one 2000×2000 similarity in JS (${baseline.toFixed(2)} s); val mAP ${fit.zeroShot.toFixed(3)} → ${fit.best.score.toFixed(3)}`);
}
