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
  return finishLinear(w, prefix, matMulRows(x, x.length / dim, dim, w[`${prefix}.weight`], dim), dim);
}

/** The rest of the head after `x · W` (computed by whoever multiplies fastest): `+ b`, then each row normalised. */
export function finishLinear(w: HeadWeights, prefix: string, product: Float32Array, dim: number): Float32Array {
  const b = w[`${prefix}.bias`];
  for (let r = 0; r < product.length / dim; r++) for (let j = 0; j < dim; j++) product[r * dim + j] += b[j];
  return l2NormalizeRows(product, dim);
}

/** Training form: rows `[n, dim]` through the head's variables. */
export function linearTf(vars: Record<string, tf.Variable>, prefix: string, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const y = matMul(x, vars[`${prefix}.weight`] as unknown as tf.Tensor2D).add(vars[`${prefix}.bias`]);
    return y.div(y.norm('euclidean', 1, true).add(1e-12)) as tf.Tensor2D;
  });
}
