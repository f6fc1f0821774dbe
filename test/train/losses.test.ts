import { beforeAll, describe, expect, it } from 'vitest';
import { angularMarginNce, infoNce, smsLoss } from '../../src/train/losses.js';
import { initTf, matMul, tf } from '../../src/heads/tf.js';

const t2 = (rows: number[][]) => tf.tensor2d(rows);
const value = (s: tf.Scalar) => s.dataSync()[0];
const logSoftmaxAt = (row: number[], k: number) => row[k] - Math.log(row.reduce((a, v) => a + Math.exp(v), 0));

/** Plain-JS symmetric InfoNCE, for reference. */
function infoNceRef(s: number[][], tau: number): number {
  const n = s.length;
  let rows = 0;
  let cols = 0;
  for (let i = 0; i < n; i++) {
    rows -= logSoftmaxAt(s[i].map((v) => v / tau), i);
    cols -= logSoftmaxAt(s.map((r) => r[i] / tau), i);
  }
  return (rows / n + cols / n) / 2;
}

/** Plain-JS SMS, term by term, for reference. */
function smsRef(s: number[][], r: number[][], gamma = 0.6, tau = 0.1, eps = 1.1 / 240): number {
  const n = s.length;
  let sum = 0;
  const term = (delta: number, m: number) => (delta > eps ? Math.max(0, m) : delta < -eps ? Math.max(0, -m) : Math.max(0, Math.abs(m) - tau));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      sum += term(r[i][i] - r[i][j], gamma * (r[i][i] - r[i][j]) - (s[i][i] - s[i][j]));
      sum += term(r[i][i] - r[j][i], gamma * (r[i][i] - r[j][i]) - (s[i][i] - s[j][i]));
    }
  }
  return sum / (2 * n * (n - 1));
}

describe('training losses (tfjs on the wasm backend)', () => {
  beforeAll(async () => {
    expect(['wasm', 'cpu']).toContain(await initTf());
  });

  it('uses the WebAssembly backend', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  it('the transpose-free matMul gives the same values and gradients as tf.matMul', () => {
    const a = tf.randomNormal([3, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const b = tf.randomNormal([4, 2], 0, 1, 'float32', 2) as tf.Tensor2D;
    const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) => matMul(x as tf.Tensor2D, y as tf.Tensor2D).square().sum())([a, b]);
    const theirs = tf.grads((x: tf.Tensor, y: tf.Tensor) => (x as tf.Tensor2D).matMul(y as tf.Tensor2D).square().sum())([a, b]);
    expect(Array.from(matMul(a, b).dataSync())).toEqual(Array.from(a.matMul(b).dataSync()));
    for (let i = 0; i < 2; i++) {
      const diff = ours[i].sub(theirs[i]).abs().max().dataSync()[0];
      expect(diff).toBeLessThan(1e-5);
      expect(ours[i].abs().max().dataSync()[0]).toBeGreaterThan(0.1);
    }
  });

  it('symmetric InfoNCE matches the hand computation', () => {
    const s = [[0.9, 0.1], [0.2, 0.8]];
    // Rows: −log softmax([1.8, 0.2])₀, −log softmax([0.4, 1.6])₁; columns: [1.8, 0.4]₀, [0.2, 1.6]₁.
    const hand = (-logSoftmaxAt([1.8, 0.2], 0) - logSoftmaxAt([0.4, 1.6], 1) - logSoftmaxAt([1.8, 0.4], 0) - logSoftmaxAt([0.2, 1.6], 1)) / 4;
    expect(value(infoNce(t2(s), 0.5))).toBeCloseTo(hand, 5);
    expect(value(infoNce(t2(s), 0.5))).toBeCloseTo(infoNceRef(s, 0.5), 5);
  });

  it('angular margin with μ = 0 is InfoNCE, and a margin raises the loss by lowering the positives', () => {
    const s = [[0.7, 0.2, -0.1], [0.3, 0.6, 0.0], [0.1, -0.2, 0.5]];
    expect(value(angularMarginNce(t2(s), 0, 0.05))).toBeCloseTo(value(infoNce(t2(s), 0.05)), 4);
    const mu = 0.2;
    const shifted = s.map((row, i) => row.map((v, j) => (i === j ? Math.cos(Math.acos(v) + mu) : v)));
    expect(value(angularMarginNce(t2(s), mu, 0.05))).toBeCloseTo(infoNceRef(shifted, 0.05), 4);
    expect(value(angularMarginNce(t2(s), mu, 0.05))).toBeGreaterThan(value(infoNce(t2(s), 0.05)));
  });

  it('SMS: Δ > ε pulls the more relevant pair above by γΔ', () => {
    // R_00 − R_01 = 1: m = 0.6 − (0.5 − 0.4) = 0.5 → ReLU(m) = 0.5, for each of the 4 ordered pairs by symmetry.
    const s = [[0.5, 0.4], [0.4, 0.5]];
    const r = [[1, 0], [0, 1]];
    expect(value(smsLoss(t2(s), t2(r)))).toBeCloseTo(0.5, 5);
  });

  it('SMS: |Δ| ≤ ε keeps equally relevant pairs within τ of each other', () => {
    // Δ = 0: m = −(S_ii − S_ij) = ∓0.3 → ReLU(0.3 − 0.1) = 0.2 for every term.
    const s = [[0.6, 0.3], [0.3, 0.6]];
    const r = [[1, 1], [1, 1]];
    expect(value(smsLoss(t2(s), t2(r)))).toBeCloseTo(0.2, 5);
  });

  it('SMS: Δ < −ε pushes a less relevant diagonal below', () => {
    // Δ = 0.5 − 1 = −0.5: m = −0.3 − (0.6 − 0.2) = −0.7 → ReLU(−m) = 0.7.
    const s = [[0.6, 0.2], [0.2, 0.6]];
    const r = [[0.5, 1], [1, 0.5]];
    expect(value(smsLoss(t2(s), t2(r)))).toBeCloseTo(0.7, 5);
  });

  it('SMS matches a term-by-term reference on a random batch mixing all branches', () => {
    let seed = 5;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
    const n = 6;
    const s = Array.from({ length: n }, () => Array.from({ length: n }, () => rand() * 2 - 1));
    const levels = [0, 0.25, 0.5, 0.75, 1];
    const r = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : levels[Math.floor(rand() * 5)])));
    expect(value(smsLoss(t2(s), t2(r)))).toBeCloseTo(smsRef(s, r), 5);
  });
});
