import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from '../../src/train/adamw.js';
import { initTf, tf } from '../../src/heads/tf.js';

describe('AdamW with warmup and cosine decay', () => {
  beforeAll(async () => {
    await initTf();
  });

  it('warms up linearly over 5 % of the steps, then follows a cosine to zero', () => {
    const opt = new AdamW(0.1, 0, 200);
    expect(opt.rate(1)).toBeCloseTo(0.01, 10);
    expect(opt.rate(10)).toBeCloseTo(0.1, 10);
    expect(opt.rate(105)).toBeCloseTo(0.05, 10);
    expect(opt.rate(200)).toBeCloseTo(0, 10);
    for (let t = 11; t <= 200; t++) expect(opt.rate(t)).toBeLessThanOrEqual(opt.rate(t - 1));
    opt.dispose();
  });

  it('decays weights by η_t·λ·θ_{t−1}, decoupled from the gradient, and only the listed ones', () => {
    const decayed = tf.variable(tf.tensor1d([2, -4]));
    const kept = tf.variable(tf.tensor1d([3]));
    const before = tf.memory().numTensors;
    const opt = new AdamW(0.1, 0.5, 20);
    // A loss with zero gradient: Adam's own update is exactly 0, so only the decay moves the weights.
    opt.step(() => decayed.sum().mul(0).add(kept.sum().mul(0)) as tf.Scalar, [decayed, kept], [decayed]);
    const eta = opt.rate(1);
    const [a, b] = Array.from(decayed.dataSync());
    expect(a).toBeCloseTo(2 - eta * 0.5 * 2, 6);
    expect(b).toBeCloseTo(-4 - eta * 0.5 * -4, 6);
    expect(kept.dataSync()[0]).toBe(3);
    opt.dispose();
    // Nothing left behind once the optimiser's own state is released (the decayed copy and the assignment's intermediate are freed every step).
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with λ = 0 steps exactly like Adam at the scheduled rate', () => {
    const opt = new AdamW(0.1, 0, 20);
    const w = tf.variable(tf.tensor1d([1, 2]));
    opt.step(() => w.square().sum() as tf.Scalar, [w], [w]);
    // Adam's first step moves each weight by η·sign(g) (bias-corrected m/√v = g/|g|).
    const eta = opt.rate(1);
    const got = Array.from(w.dataSync());
    expect(got[0]).toBeCloseTo(1 - eta, 5);
    expect(got[1]).toBeCloseTo(2 - eta, 5);
    opt.dispose();
  });
});
