import { beforeAll, describe, expect, it } from 'vitest';
import { initialWeights, randomWeights, type HeadWeights } from '../../src/heads/spec.js';
import { temporalPool, temporalPoolSpec, temporalPoolTf } from '../../src/heads/temporal-pool/temporal-pool.js';
import { headVariables, initTf, tf } from '../../src/heads/tf.js';
import { l2NormalizeRows } from '../../src/models/vectors.js';
import { Rng } from '../../src/util/random.js';

const clips = 5;
const steps = 4;
const dim = 12;
const width = 3;
const shape = { steps, width };
const spec = temporalPoolSpec(shape, dim);

function unitFrames(seed: number): Float32Array {
  const rng = new Rng(seed);
  return l2NormalizeRows(Float32Array.from({ length: clips * steps * dim }, () => rng.normal()), dim);
}

/** Mean pooling as the index stores it: the L2-normalised mean of the frames. */
function meanPooled(frames: Float32Array): Float32Array {
  const out = new Float32Array(clips * dim);
  for (let c = 0; c < clips; c++) for (let t = 0; t < steps; t++) for (let j = 0; j < dim; j++) out[c * dim + j] += frames[(c * steps + t) * dim + j];
  return l2NormalizeRows(out, dim);
}

/** The block written out naively, frame by frame: z_t = x_t + Wo·Σ_s a_ts Wv (x_s + p_s), then mean and normalise. */
function naive(w: HeadWeights, frames: Float32Array): Float32Array {
  const head = { pos: w['temporal.pos'], wq: w['temporal.wq'], wk: w['temporal.wk'], wv: w['temporal.wv'], wo: w['temporal.wo'] };
  const out = new Float32Array(clips * dim);
  const mul = (x: number[], w: Float32Array, inDim: number, outDim: number) => Array.from({ length: outDim }, (_, j) => x.reduce((s, xi, i) => s + xi * w[i * outDim + j], 0));
  for (let c = 0; c < clips; c++) {
    const h = Array.from({ length: steps }, (_, t) => Array.from({ length: dim }, (_, j) => frames[(c * steps + t) * dim + j] + head.pos[t * dim + j]));
    const q = h.map((r) => mul(r, head.wq, dim, width));
    const k = h.map((r) => mul(r, head.wk, dim, width));
    const v = h.map((r) => mul(r, head.wv, dim, width));
    for (let t = 0; t < steps; t++) {
      const logits = k.map((kr) => kr.reduce((s, x, j) => s + x * q[t][j], 0) / Math.sqrt(width));
      const e = logits.map((l) => Math.exp(l - Math.max(...logits)));
      const a = e.map((x) => x / e.reduce((p, y) => p + y, 0));
      const attended = Array.from({ length: width }, (_, j) => a.reduce((s, w, si) => s + w * v[si][j], 0));
      const z = mul(attended, head.wo, width, dim);
      for (let j = 0; j < dim; j++) out[c * dim + j] += (frames[(c * steps + t) * dim + j] + z[j]) / steps;
    }
  }
  return l2NormalizeRows(out, dim);
}

describe('temporal head of the retrieval adapter', () => {
  beforeAll(async () => {
    await initTf();
  });

  it('starts exactly at mean pooling (zero-initialised output projection)', () => {
    const frames = unitFrames(1);
    const pooled = temporalPool(initialWeights(spec, 3), shape, frames, steps, dim);
    const expected = meanPooled(frames);
    pooled.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 6));
  });

  it('training form (tfjs) and search-time form (plain JS) compute the naive block, for non-zero weights', () => {
    const frames = unitFrames(2);
    const head = randomWeights(spec, 5, 0.5);
    const vars = headVariables(spec, head);
    const reference = naive(head, frames);
    const trained = temporalPoolTf(vars, shape, tf.tensor3d(frames, [clips, steps, dim])).dataSync();
    const searched = temporalPool(head, shape, frames, steps, dim);
    expect(Math.max(...reference.map((r, i) => Math.abs(r - meanPooled(frames)[i])))).toBeGreaterThan(0.05);
    reference.forEach((r, i) => {
      expect(trained[i]).toBeCloseTo(r, 5);
      expect(searched[i]).toBeCloseTo(r, 5);
    });
    for (const v of Object.values(vars)) v.dispose();
  });

  it('is order-aware: a clip and its time reversal pool apart once trained weights are non-zero', () => {
    const frames = unitFrames(3).subarray(0, steps * dim);
    const reversed = new Float32Array(frames.length);
    for (let t = 0; t < steps; t++) reversed.set(frames.subarray(t * dim, (t + 1) * dim), (steps - 1 - t) * dim);
    const head = randomWeights(spec, 5, 0.5);
    const a = temporalPool(head, shape, frames, steps, dim);
    const b = temporalPool(head, shape, reversed, steps, dim);
    expect(1 - a.reduce((s, x, j) => s + x * b[j], 0)).toBeGreaterThan(1e-3);
  });
});
