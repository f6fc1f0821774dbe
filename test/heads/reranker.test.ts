import { beforeAll, describe, expect, it } from 'vitest';
import type { RerankerShape } from '../../src/heads/reranker/reranker.js';
import { l2NormalizeRows } from '../../src/models/vectors.js';
import { RerankerVars } from '../../src/heads/reranker/reranker-tf.js';
import { initTf, tf } from '../../src/heads/tf.js';
import { Rng } from '../../src/util/random.js';

const shape: RerankerShape = { dim: 12, steps: 4, width: 8, heads: 2, hidden: 16 };
const queries = 3;
const candidates = 5;

function unitRows(rng: Rng, rows: number): Float32Array {
  return l2NormalizeRows(Float32Array.from({ length: rows * shape.dim }, () => rng.normal()), shape.dim);
}

// Training form = inference form on random weights (and other frame counts): test/heads/parity.test.ts.
describe('cross-modal refinement reranker', () => {
  beforeAll(async () => {
    await initTf();
  });

  it('untrained (β = 0), returns the first-stage scores: the first stage order is kept', () => {
    const rng = new Rng(1);
    const vars = new RerankerVars(shape, 2);
    const s0 = Float32Array.from({ length: queries * candidates }, () => rng.normal());
    const scores = vars.score(tf.tensor2d(unitRows(rng, queries), [queries, shape.dim]), tf.tensor4d(unitRows(rng, queries * candidates * shape.steps), [queries, candidates, shape.steps, shape.dim]), tf.tensor2d(s0, [queries, candidates])).dataSync();
    scores.forEach((s, i) => expect(s).toBeCloseTo(s0[i], 6));
    vars.dispose();
  });

  it('gradients reach every weight once β is non-zero', () => {
    const rng = new Rng(5);
    const vars = new RerankerVars(shape, 6);
    vars.vars.beta.assign(tf.tensor1d([0.5]));
    const text = tf.tensor2d(unitRows(rng, queries), [queries, shape.dim]);
    const frames = tf.tensor4d(unitRows(rng, queries * candidates * shape.steps), [queries, candidates, shape.steps, shape.dim]);
    const s0 = tf.zeros([queries, candidates]) as tf.Tensor2D;
    const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([0, 1, 2], 'int32'), candidates), vars.score(text, frames, s0).div(0.05)) as tf.Scalar, vars.variables);
    for (const [name, v] of Object.entries(vars.vars)) expect(grads[v.name].abs().max().dataSync()[0], name).toBeGreaterThan(0);
    vars.dispose();
  });
});
