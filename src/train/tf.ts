import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

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

/** A variable holding `data` (the initial tensor is released: variables outlive `tidy`, tensors do not). */
export function variableFrom(data: Float32Array, shape: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(data, shape)));
}
