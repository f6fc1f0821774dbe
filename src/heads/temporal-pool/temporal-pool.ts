import { l2NormalizeRows } from '../../models/vectors.js';
import { matMulRows, positionRow, softmaxInPlace } from '../math.js';
import type { HeadSpec, HeadWeights } from '../spec.js';
import { matMul, positionsTf, tf } from '../tf.js';

/**
 * The retrieval adapter's temporal pooling head (REFERENCES §6, TVTSv2 idea): one self-attention
 * block over a clip's frame embeddings with a learned temporal position embedding, added as a
 * residual whose output projection starts at zero, then mean-pooled and L2-normalised. At
 * initialisation it is exactly the stored mean-pooled vector. One head of width `width`; the
 * value/output pair is low-rank (`dim × width`, `width × dim`).
 *
 * The mean over frames of the block's output is `mean(x) + (Σₛ āₛ hₛ) Wv Wo`, āₛ the attention paid
 * to frame s averaged over queries, so values are projected once per clip (the same function).
 */
export interface TemporalPoolShape {
  /** Frames the position embedding was trained for; other counts map positions proportionally. */
  steps: number;
  width: number;
}

export function temporalPoolSpec(s: TemporalPoolShape, dim: number, prefix = 'temporal'): HeadSpec {
  // Frame embeddings are unit vectors: query/key weights of unit scale give attention logits of
  // order one; the position embedding starts small next to a frame's own entries (≈ 1/√dim).
  return [
    { name: `${prefix}.pos`, shape: [s.steps, dim], init: { normal: 0.1 / Math.sqrt(dim) } },
    { name: `${prefix}.wq`, shape: [dim, s.width], init: { normal: 1 }, decay: true },
    { name: `${prefix}.wk`, shape: [dim, s.width], init: { normal: 1 }, decay: true },
    { name: `${prefix}.wv`, shape: [dim, s.width], init: { normal: 1 / Math.sqrt(s.width) }, decay: true },
    { name: `${prefix}.wo`, shape: [s.width, dim], init: 'zeros', decay: true },
  ];
}

/** Inference form: each clip's `n` frames (`clips × n × dim`) → pooled, L2-normalised `clips × dim`. */
export function temporalPool(w: HeadWeights, s: TemporalPoolShape, frames: Float32Array, n: number, dim: number, prefix = 'temporal'): Float32Array {
  const clips = frames.length / (n * dim);
  const { width } = s;
  const [pos, wq, wk, wv, wo] = ['pos', 'wq', 'wk', 'wv', 'wo'].map((k) => w[`${prefix}.${k}`]);
  const out = new Float32Array(clips * dim);
  const h = new Float32Array(n * dim);
  const scale = 1 / Math.sqrt(width);
  for (let c = 0; c < clips; c++) {
    const x = frames.subarray(c * n * dim, (c + 1) * n * dim);
    for (let t = 0; t < n; t++) {
      const p = positionRow(t, n, s.steps) * dim;
      for (let j = 0; j < dim; j++) h[t * dim + j] = x[t * dim + j] + pos[p + j];
    }
    const q = matMulRows(h, n, dim, wq, width);
    const k = matMulRows(h, n, dim, wk, width);
    const attention = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const logits = new Float64Array(n);
      for (let u = 0; u < n; u++) {
        let v = 0;
        for (let j = 0; j < width; j++) v += q[t * width + j] * k[u * width + j];
        logits[u] = v * scale;
      }
      softmaxInPlace(logits).forEach((a, u) => (attention[u] += a / n));
    }
    const u = new Float32Array(dim);
    for (let t = 0; t < n; t++) for (let j = 0; j < dim; j++) u[j] += attention[t] * h[t * dim + j];
    const r = matMulRows(matMulRows(u, 1, dim, wv, width), 1, width, wo, dim);
    for (let j = 0; j < dim; j++) {
      let mean = 0;
      for (let t = 0; t < n; t++) mean += x[t * dim + j];
      out[c * dim + j] = mean / n + r[j];
    }
  }
  return l2NormalizeRows(out, dim);
}

/** Training form: frames `[clips, n, dim]` → L2-normalised pooled vectors `[clips, dim]`. */
export function temporalPoolTf(vars: Record<string, tf.Variable>, s: TemporalPoolShape, frames: tf.Tensor3D, prefix = 'temporal'): tf.Tensor2D {
  return tf.tidy(() => {
    const [clips, n, dim] = frames.shape;
    const v = (k: string) => vars[`${prefix}.${k}`] as unknown as tf.Tensor2D;
    const h = frames.add(positionsTf(v('pos'), n, s.steps)) as tf.Tensor3D;
    const flat = h.reshape([clips * n, dim]) as tf.Tensor2D;
    const q = matMul(flat, v('wq')).reshape([clips, n, s.width]);
    const k = matMul(flat, v('wk')).reshape([clips, n, s.width]);
    const attention = tf.softmax(tf.matMul(q, k.transpose([0, 2, 1])).div(Math.sqrt(s.width)));
    // Mean over queries of the attended values = (attention averaged over queries) · h, then Wv Wo.
    const weights = attention.mean(1).reshape([clips, 1, n]);
    const u = tf.matMul(weights, h).reshape([clips, dim]) as tf.Tensor2D;
    const pooled = frames.mean(1).add(matMul(matMul(u, v('wv')), v('wo')));
    return pooled.div(pooled.norm('euclidean', 1, true).add(1e-12)) as tf.Tensor2D;
  });
}
