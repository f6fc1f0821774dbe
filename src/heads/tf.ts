import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { positionRow } from './math.js';
import type { HeadSpec, HeadWeights } from './spec.js';

let ready: Promise<string> | undefined;

/**
 * The one place vidlens sets up TensorFlow.js: the WebAssembly backend (a training step runs ~27×
 * faster than on the pure-JS backend here, `npm run bench:adapt-speed`; tfjs-node cannot install
 * offline), falling back to the JS backend if WASM fails.
 */
export function initTf(): Promise<string> {
  ready ??= (async () => {
    try {
      if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend refused');
    } catch {
      await tf.setBackend('cpu');
    }
    await tf.ready();
    return tf.getBackend();
  })();
  return ready;
}

export { tf };

/**
 * `a · b` whose gradients use explicit transposes. The WASM backend's matMul with a transposed
 * operand (what tfjs's own matMul gradient uses) is far slower than transposing first: a training
 * step with it takes ~7× as long (`npm run bench:adapt-speed`).
 */
export const matMul = tf.customGrad((a, b, save) => {
  const x = a as tf.Tensor2D;
  const y = b as tf.Tensor2D;
  (save as (tensors: tf.Tensor[]) => void)([x, y]);
  return {
    value: x.matMul(y),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [g.matMul(sb.transpose()), sa.transpose().matMul(g)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** Batched `a · b` over [batch, n, k] × [batch, k, m], with the same explicit-transpose gradients as `matMul`. */
export const batchMatMul = tf.customGrad((a, b, save) => {
  const x = a as tf.Tensor3D;
  const y = b as tf.Tensor3D;
  (save as (tensors: tf.Tensor[]) => void)([x, y]);
  return {
    value: tf.matMul(x, y),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor3D, tf.Tensor3D];
      const g = dy as tf.Tensor3D;
      return [tf.matMul(g, sb.transpose([0, 2, 1])), tf.matMul(sa.transpose([0, 2, 1]), g)];
    },
  };
}) as (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;

/** A variable holding `data` (the initial tensor is released: variables outlive `tidy`, tensors do not). */
export function variableFrom(data: Float32Array, shape: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(data, shape)));
}

/** The training form's variables of a head: one per spec tensor, holding `weights` (or the spec's initial values). */
export function headVariables(spec: HeadSpec, weights: HeadWeights): Record<string, tf.Variable> {
  return Object.fromEntries(spec.map((t) => [t.name, variableFrom(weights[t.name], t.shape)]));
}

/** The variables' current values, as the inference form and the weight folder take them. */
export function snapshotVariables(vars: Record<string, tf.Variable>): HeadWeights {
  return Object.fromEntries(Object.entries(vars).map(([name, v]) => [name, v.dataSync().slice() as Float32Array]));
}

/** LayerNorm over the last axis (ε = 1e-5), as `heads/math.ts` computes it. */
export function layerNormTf(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).div(variance.add(1e-5).sqrt()).mul(g).add(b);
}

/** The position embedding rows `[n, width]` for `n` frames of a `[steps, width]` table (as `positionRow`). */
export function positionsTf(pos: tf.Tensor, n: number, steps: number): tf.Tensor2D {
  if (n === steps) return pos as tf.Tensor2D;
  return tf.gather(pos, Array.from({ length: n }, (_, t) => positionRow(t, n, steps))) as tf.Tensor2D;
}
