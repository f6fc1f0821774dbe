import type { TemporalHead } from '../models/temporal-head.js';
import { Rng } from '../util/random.js';
import { matMul, tf, variableFrom } from './tf.js';

/**
 * The trainable form of the retrieval adapter's temporal head (`models/temporal-head.ts` applies
 * it at search time; both compute the same function). The output projection starts at zero, so at
 * step 0 the pooled vector is the stored mean-pooled one.
 */
export class TemporalVars {
  readonly pos: tf.Variable;
  readonly wq: tf.Variable;
  readonly wk: tf.Variable;
  readonly wv: tf.Variable;
  readonly wo: tf.Variable;

  constructor(
    readonly steps: number,
    readonly dim: number,
    readonly width: number,
    seed: number,
  ) {
    const rng = new Rng(seed);
    // Frame embeddings are unit vectors: query/key weights of unit scale give attention logits of
    // order one; the position embedding starts small next to a frame's own entries (≈ 1/√dim).
    const init = (shape: number[], std: number) => variableFrom(Float32Array.from({ length: shape[0] * shape[1] }, () => rng.normal() * std), shape);
    this.pos = init([steps, dim], 0.1 / Math.sqrt(dim));
    this.wq = init([dim, width], 1);
    this.wk = init([dim, width], 1);
    this.wv = init([dim, width], 1 / Math.sqrt(width));
    this.wo = variableFrom(new Float32Array(width * dim), [width, dim]);
  }

  get variables(): tf.Variable[] {
    return [this.pos, this.wq, this.wk, this.wv, this.wo];
  }

  /** Frames `[clips, steps, dim]` → L2-normalised pooled vectors `[clips, dim]`. */
  pool(frames: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => {
      const [n, steps, dim] = frames.shape;
      const h = frames.add(this.pos) as tf.Tensor3D;
      const flat = h.reshape([n * steps, dim]) as tf.Tensor2D;
      const q = matMul(flat, this.wq as unknown as tf.Tensor2D).reshape([n, steps, this.width]);
      const k = matMul(flat, this.wk as unknown as tf.Tensor2D).reshape([n, steps, this.width]);
      const attention = tf.softmax(tf.matMul(q, k.transpose([0, 2, 1])).div(Math.sqrt(this.width)));
      // Mean over queries of the attended values = (attention averaged over queries) · h, then Wv Wo.
      const weights = attention.mean(1).reshape([n, 1, steps]);
      const u = tf.matMul(weights, h).reshape([n, dim]) as tf.Tensor2D;
      const residual = matMul(matMul(u, this.wv as unknown as tf.Tensor2D), this.wo as unknown as tf.Tensor2D);
      const pooled = frames.mean(1).add(residual);
      return pooled.div(pooled.norm('euclidean', 1, true).add(1e-12)) as tf.Tensor2D;
    });
  }

  snapshot(): TemporalHead {
    const read = (v: tf.Variable) => v.dataSync().slice() as Float32Array;
    return { steps: this.steps, width: this.width, pos: read(this.pos), wq: read(this.wq), wk: read(this.wk), wv: read(this.wv), wo: read(this.wo) };
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
