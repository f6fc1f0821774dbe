import { beforeAll, describe, expect, it } from 'vitest';
import { adapterSpec, adaptText, adaptVideo } from '../../src/heads/adapter/adapter.js';
import { linearTf } from '../../src/heads/linear/linear.js';
import { Reranker, rerankerSpec, type RerankerShape } from '../../src/heads/reranker/reranker.js';
import { RerankerVars } from '../../src/heads/reranker/reranker-tf.js';
import { randomWeights } from '../../src/heads/spec.js';
import { temporalPoolTf } from '../../src/heads/temporal-pool/temporal-pool.js';
import { headVariables, initTf, tf } from '../../src/heads/tf.js';
import { l2NormalizeRows } from '../../src/models/vectors.js';
import { Rng } from '../../src/util/random.js';

/**
 * One harness for every head with two forms: random non-zero weights drawn from the head's spec,
 * the TensorFlow.js training form and the plain-JS inference form on the same inputs, for the frame
 * count the position embedding was trained for and for fewer and more frames.
 */
const dim = 12;
const steps = 4;
const frameCounts = [steps, steps - 2, steps + 3];

function unitRows(seed: number, rows: number): Float32Array {
  const rng = new Rng(seed);
  return l2NormalizeRows(Float32Array.from({ length: rows * dim }, () => rng.normal()), dim);
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, digits = 5) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], digits);
}

describe('every head: training form = inference form on random weights', () => {
  beforeAll(async () => {
    await initTf();
  });

  for (const n of frameCounts) {
    it(`retrieval adapter with a temporal pooling head, ${n} frames per clip (trained for ${steps})`, () => {
      const temporal = { steps, width: 5 };
      const spec = adapterSpec(dim, temporal);
      const weights = randomWeights(spec, 10 + n);
      const vars = headVariables(spec, weights);
      const clips = 3;
      const frames = unitRows(n, clips * n);
      const text = unitRows(100 + n, clips);
      const heads = { weights, temporal };
      const inferred = { text: adaptText(heads, text, dim), video: adaptVideo(heads, new Float32Array(0), frames, n, dim) };
      const trained = tf.tidy(() => ({
        text: linearTf(vars, 'text', tf.tensor2d(text, [clips, dim])).dataSync(),
        video: linearTf(vars, 'video', temporalPoolTf(vars, temporal, tf.tensor3d(frames, [clips, n, dim]))).dataSync(),
      }));
      expectClose(trained.text, inferred.text);
      expectClose(trained.video, inferred.video);
      for (const v of Object.values(vars)) v.dispose();
    });

    it(`reranker, ${n} frames per candidate (trained for ${steps})`, () => {
      const shape: RerankerShape = { dim, steps, width: 8, heads: 2, hidden: 16 };
      const weights = randomWeights(rerankerSpec(shape), 20 + n);
      const vars = new RerankerVars(shape, 0, weights);
      const [queries, candidates] = [2, 3];
      const text = unitRows(30 + n, queries);
      const frames = unitRows(40 + n, queries * candidates * n);
      const s0 = Float32Array.from({ length: queries * candidates }, (_, i) => 0.1 * i);
      const batched = tf.tidy(() => vars.score(tf.tensor2d(text, [queries, dim]), tf.tensor4d(frames, [queries, candidates, n, dim]), tf.tensor2d(s0, [queries, candidates])).dataSync());
      const reranker = new Reranker(shape, weights);
      const single = new Float32Array(queries * candidates);
      for (let q = 0; q < queries; q++) {
        const t = reranker.prepareText(text.subarray(q * dim, (q + 1) * dim));
        for (let c = 0; c < candidates; c++) {
          const at = (q * candidates + c) * n * dim;
          single[q * candidates + c] = reranker.score(t, reranker.prepareVideo(frames.subarray(at, at + n * dim)), s0[q * candidates + c]);
        }
      }
      // The refinement must actually move scores, or the comparison would only check s₀.
      expect(Math.max(...Array.from(single, (s, i) => Math.abs(s - s0[i])))).toBeGreaterThan(1e-3);
      expectClose(batched, single, 4);
      vars.dispose();
    });
  }
});
