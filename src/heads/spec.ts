import { Rng } from '../util/random.js';

/**
 * How a tensor of a head starts: zeros, ones, the identity (square matrices), every entry one
 * constant, or a normal draw with this standard deviation.
 */
export type Init = 'zeros' | 'ones' | 'identity' | { constant: number } | { normal: number };

export interface TensorSpec {
  name: string;
  /** Row-major; matrices are `in × out` (`x · W`). */
  shape: number[];
  init: Init;
  /** Decoupled weight decay applies (weight matrices; not gains, biases, embeddings or β). */
  decay?: boolean;
}

/**
 * A head's parameter spec: the one description of its tensors (names, shapes, layout, init) from
 * which the TensorFlow.js training form (`heads/tf.ts`), the plain-JS inference form and the weight
 * folder (`heads/folder.ts`) are all built.
 */
export type HeadSpec = TensorSpec[];

/** A head's weights by tensor name (shapes are the spec's). */
export type HeadWeights = Record<string, Float32Array>;

export const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Fresh weights as the spec initialises them, drawn from a seeded generator in spec order. */
export function initialWeights(spec: HeadSpec, seed: number): HeadWeights {
  const rng = new Rng(seed);
  const out: HeadWeights = {};
  for (const t of spec) {
    const size = sizeOf(t.shape);
    if (t.init === 'zeros') out[t.name] = new Float32Array(size);
    else if (t.init === 'ones') out[t.name] = new Float32Array(size).fill(1);
    else if (t.init === 'identity') {
      const [rows, cols] = t.shape;
      out[t.name] = new Float32Array(size);
      for (let i = 0; i < Math.min(rows, cols); i++) out[t.name][i * cols + i] = 1;
    } else if ('constant' in t.init) out[t.name] = new Float32Array(size).fill(t.init.constant);
    else {
      const std = t.init.normal;
      out[t.name] = Float32Array.from({ length: size }, () => rng.normal() * std);
    }
  }
  return out;
}

/** Random non-zero weights of the spec's shapes (every tensor, gains and zero-initialised ones too): for parity tests. */
export function randomWeights(spec: HeadSpec, seed: number, std = 0.3): HeadWeights {
  const rng = new Rng(seed);
  return Object.fromEntries(spec.map((t) => [t.name, Float32Array.from({ length: sizeOf(t.shape) }, () => rng.normal() * std)]));
}

/** The names of `weights` that are missing or of the wrong size for `spec` (empty when it fits). */
export function misfits(spec: HeadSpec, weights: HeadWeights): string[] {
  return spec.filter((t) => weights[t.name]?.length !== sizeOf(t.shape)).map((t) => `${t.name} (${t.shape.join('×')})`);
}
