import { beforeAll, describe, expect, it } from 'vitest';
import { angularMarginNce, angularMarginPerSample } from '../../src/train/losses.js';
import { metaStep, perSampleLoss, WeightNet, type HeadVars } from '../../src/train/meta.js';
import { initTf, tf } from '../../src/heads/tf.js';
import { Rng } from '../../src/util/random.js';

function unitRows(rng: Rng, n: number, d: number): tf.Tensor2D {
  const x = tf.tensor2d(Float32Array.from({ length: n * d }, () => rng.normal()), [n, d]);
  return x.div(x.norm('euclidean', 1, true)) as tf.Tensor2D;
}

describe('angular margin + meta-reweighting', () => {
  beforeAll(async () => {
    await initTf();
  });

  it('per-sample angular losses average to the batch loss', () => {
    const rng = new Rng(3);
    const a = unitRows(rng, 5, 8);
    const b = unitRows(rng, 5, 8);
    const sim = a.matMul(b.transpose()) as tf.Tensor2D;
    expect(angularMarginPerSample(sim, 0.2, 0.1).mean().dataSync()[0]).toBeCloseTo(angularMarginNce(sim, 0.2, 0.1).dataSync()[0], 5);
  });

  it('updates the weighting network along the true meta-gradient (checked by brute-force finite differences)', () => {
    const rng = new Rng(7);
    const d = 6;
    const eye = tf.eye(d);
    const heads: HeadVars = { tw: tf.variable(eye.add(tf.randomNormal([d, d], 0, 0.05, 'float32', 1))), tb: tf.variable(tf.zeros([d])), vw: tf.variable(eye.add(tf.randomNormal([d, d], 0, 0.05, 'float32', 2))), vb: tf.variable(tf.zeros([d])) };
    const train = { text: unitRows(rng, 6, d), video: unitRows(rng, 6, d) };
    const meta = { text: unitRows(rng, 4, d), video: unitRows(rng, 4, d) };
    const o = { alpha: 0.5, margin: 0.2, temperature: 0.2 };
    const net = new WeightNet(4, 1);
    // L_meta as a function of the weights w, by explicit virtual steps.
    const metaLossFor = (w: number[]) => tf.tidy(() => {
      const wt = tf.tensor1d(w);
      const weighted = (tw: tf.Tensor, tb: tf.Tensor, vw: tf.Tensor, vb: tf.Tensor) => perSampleLoss({ tw, tb, vw, vb }, train, o.margin, o.temperature).mul(wt).mean() as tf.Scalar;
      const g = tf.grads(weighted)([heads.tw, heads.tb, heads.vw, heads.vb]);
      const p = { tw: heads.tw.sub(g[0].mul(o.alpha)), tb: heads.tb.sub(g[1].mul(o.alpha)), vw: heads.vw.sub(g[2].mul(o.alpha)), vb: heads.vb.sub(g[3].mul(o.alpha)) };
      return perSampleLoss(p, meta, o.margin, o.temperature).mean().dataSync()[0];
    });
    const w0 = Array.from(net.weights(perSampleLoss({ tw: heads.tw, tb: heads.tb, vw: heads.vw, vb: heads.vb }, train, o.margin, o.temperature)).dataSync());
    const h = 1e-2;
    const brute = w0.map((_, i) => {
      const up = [...w0];
      const down = [...w0];
      up[i] += h;
      down[i] -= h;
      return (metaLossFor(up) - metaLossFor(down)) / (2 * h);
    });
    const step = metaStep(heads, net, tf.train.sgd(0.1), train, meta, o);
    // The check is only meaningful if the gradient is not tiny.
    expect(Math.max(...brute.map(Math.abs))).toBeGreaterThan(1e-2);
    step.metaGradient.forEach((g, i) => expect(g).toBeCloseTo(brute[i], 3));
    expect(step.weights.shape).toEqual([6]);
    for (const w of step.weights.dataSync()) expect(w > 0 && w < 1).toBe(true);
    expect(Number.isFinite(step.metaLoss)).toBe(true);
  });
});
