import { l2NormalizeRows } from '../../models/vectors.js';
import { matMulRows } from '../math.js';
import type { HeadSpec, HeadWeights } from '../spec.js';
import { matMul, tf } from '../tf.js';

/**
 * A linear head on unit vectors, `y = normalise(x · W + b)`, starting at the identity (W = I, b = 0),
 * so an untrained head leaves cosine similarities exactly as they were.
 */
export function linearSpec(prefix: string, dim: number): HeadSpec {
  return [
    { name: `${prefix}.weight`, shape: [dim, dim], init: 'identity', decay: true },
    { name: `${prefix}.bias`, shape: [dim], init: 'zeros' },
  ];
}

/** Inference form: each row of `x` (`rows × dim`) through the head. */
export function applyLinear(w: HeadWeights, prefix: string, x: Float32Array, dim: number): Float32Array {
  const rows = x.length / dim;
  const out = matMulRows(x, rows, dim, w[`${prefix}.weight`], dim);
  const b = w[`${prefix}.bias`];
  for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) out[r * dim + j] += b[j];
  return l2NormalizeRows(out, dim);
}

/** Training form: rows `[n, dim]` through the head's variables. */
export function linearTf(vars: Record<string, tf.Variable>, prefix: string, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const y = matMul(x, vars[`${prefix}.weight`] as unknown as tf.Tensor2D).add(vars[`${prefix}.bias`]);
    return y.div(y.norm('euclidean', 1, true).add(1e-12)) as tf.Tensor2D;
  });
}
