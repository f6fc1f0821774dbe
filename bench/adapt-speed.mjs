#!/usr/bin/env node
// npm run bench:adapt-speed — training a retrieval adapter on 2,000 clip features (8 frames × D = 512)
// for 20 epochs (no early stopping) must take under 60 s: the linear heads on pooled features with
// each loss, and with the temporal head over the frames. Baseline in the same run: one 2,000 × 2,000
// similarity matrix in plain JavaScript.
import { similarityMatrix, l2NormalizeRows, fitRetrievalHeads, infoNce, initTf, matMul, tf, Rng } from '../dist/index.js';

const n = 2000;
const dim = 512;
const rng = new Rng(1);
const steps = 8;
const frames = l2NormalizeRows(Float32Array.from({ length: n * steps * dim }, () => rng.normal()), dim);
// Pooled clip vectors as the index stores them: the L2-normalised mean of the frames.
const video = new Float32Array(n * dim);
for (let c = 0; c < n; c++) for (let t = 0; t < steps; t++) for (let j = 0; j < dim; j++) video[c * dim + j] += frames[(c * steps + t) * dim + j];
l2NormalizeRows(video, dim);
// Captions: their clip's vector under heavy noise (cosine ≈ 0.08, near the noise level), so retrieval is not trivial.
const text = l2NormalizeRows(Float32Array.from(video, (v) => 0.08 * v + rng.normal() / Math.sqrt(dim)), dim);
const rel = { data: new Float32Array(n * n), rows: n, cols: n };
for (let i = 0; i < n; i++) rel.data[i * n + i] = 1;
const clips = Array.from({ length: n }, (_, i) => i);
const trainClips = clips.slice(0, 1800);
const valClips = clips.slice(1800);
const own = new Map(clips.map((c) => [c, [c]]));

const backend = await initTf();

/** Mean time of one training step (two projection heads + InfoNCE, batch 128, D 512, Adam). */
async function stepMs(backendName, project) {
  await tf.setBackend(backendName);
  const x = tf.randomNormal([128, dim]);
  const w1 = tf.variable(tf.eye(dim));
  const w2 = tf.variable(tf.eye(dim));
  const optimizer = tf.train.adam(1e-3);
  const step = () => optimizer.minimize(() => infoNce(matMul(project(x, w1), project(x, w2).transpose()), 0.05), true).dispose();
  step();
  const start = performance.now();
  for (let i = 0; i < 10; i++) step();
  const ms = (performance.now() - start) / 10;
  for (const t of [x, w1, w2]) t.dispose();
  optimizer.dispose();
  return ms;
}
const transposed = await stepMs('wasm', (x, w) => x.matMul(w, false, true));
const explicit = await stepMs('wasm', (x, w) => matMul(x, w));
const js = await stepMs('cpu', (x, w) => matMul(x, w));
await tf.setBackend(backend);
console.log(`training step (batch 128, D ${dim}): wasm + tfjs matMul with a transposed operand ${transposed.toFixed(0)} ms; wasm + vidlens matMul ${explicit.toFixed(0)} ms ` +
  `(${(transposed / explicit).toFixed(1)}× faster); pure-JS backend + vidlens matMul ${js.toFixed(0)} ms (wasm ${(js / explicit).toFixed(1)}× faster)`);
const t0 = performance.now();
similarityMatrix(text, video, dim);
const baseline = (performance.now() - t0) / 1000;
const runs = [
  { loss: 'infonce', label: 'infonce' },
  { loss: 'sms', label: 'sms' },
  { loss: 'angular', label: 'angular' },
  { loss: 'infonce', label: 'infonce + temporal head (width 64)', temporalWidth: 64 },
];
for (const { loss, label, temporalWidth } of runs) {
  const start = performance.now();
  const fit = await fitRetrievalHeads({
    text, video, frames: temporalWidth ? { data: frames, steps } : undefined, temporalWidth, dim, captionClip: clips, rel, trainClips, valClips, valCaps: valClips, positives: own, trainCaps: own,
    loss, epochs: 20, batchSize: 128, lr: 1e-3, patience: 1000, seed: 0,
  });
  const seconds = (performance.now() - start) / 1000;
  const input = temporalWidth ? `2000 × ${steps} × ${dim}` : `2000 × ${dim}`;
  console.log(`${label.padEnd(8)} ${input}, 20 epochs (${fit.history.length} run), batch 128, ${backend}: ${seconds.toFixed(1)} s (bound 60 s) ${seconds < 60 ? 'PASS' : 'FAIL'}` +
    ` — ${(seconds / baseline).toFixed(0)}× one 2000×2000 similarity in JS (${baseline.toFixed(2)} s); val mAP ${fit.zeroShot.toFixed(3)} → ${fit.best.score.toFixed(3)}`);
}
