import { layerNormTf, matMul, positionsTf, tf } from '../tf.js';
import { TrainableHead } from '../trainable.js';
import { rerankerSpec, type RerankerShape, type RerankerWeights } from './reranker.js';

/**
 * The trainable form of the cross-modal refinement reranker (`reranker.ts` scores pairs at search
 * time; both are built from `rerankerSpec` and compute the same function, checked in a test). β
 * starts at zero: the untrained reranker returns the first stage's scores.
 */
export class RerankerVars extends TrainableHead {
  constructor(
    readonly shape: RerankerShape,
    seed: number,
    weights?: RerankerWeights,
  ) {
    super(rerankerSpec(shape), seed, weights);
  }

  private m(name: string, rows: number, cols: number): tf.Tensor2D {
    return this.vars[name].reshape([rows, cols]);
  }

  private layerNorm(x: tf.Tensor, p: string): tf.Tensor {
    return layerNormTf(x, this.vars[`${p}.g`], this.vars[`${p}.b`]);
  }

  /** `LN(x + (x W₁ ⊙ σ(x W₂)) W₃)` on rows `[n, width]`. */
  private gatedBlock(x: tf.Tensor2D, p: string): tf.Tensor2D {
    const { width: r, hidden: h } = this.shape;
    const a = matMul(x, this.m(`${p}.ffn.w1`, r, h)).mul(tf.sigmoid(matMul(x, this.m(`${p}.ffn.w2`, r, h)))) as tf.Tensor2D;
    return this.layerNorm(x.add(matMul(a, this.m(`${p}.ffn.w3`, h, r))), `${p}.ln2`) as tf.Tensor2D;
  }

  /**
   * Scores `[queries, candidates]` for text features `[queries, dim]`, each candidate's `n` frames
   * `[queries, candidates, n, dim]` (positions map proportionally when n ≠ steps) and the first
   * stage's scores `[queries, candidates]`.
   */
  score(text: tf.Tensor2D, frames: tf.Tensor4D, s0: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const { dim, width: r, heads } = this.shape;
      const [q, k] = s0.shape;
      const steps = frames.shape[2];
      const dh = r / heads;
      const token = matMul(text, this.m('textIn', dim, r)); // [q, r]
      const tokens = matMul(frames.reshape([q * k * steps, dim]) as tf.Tensor2D, this.m('videoIn', dim, r)).reshape([q, k, steps, r]).add(positionsTf(this.m('pos', this.shape.steps, r), steps, this.shape.steps)) as tf.Tensor4D;
      const flat = tokens.reshape([q * k * steps, r]) as tf.Tensor2D;
      const query = matMul(token, this.m('text.wq', r, r)).reshape([q, 1, 1, heads, dh]);
      const keys = matMul(flat, this.m('text.wk', r, r)).reshape([q, k, steps, heads, dh]);
      const values = matMul(flat, this.m('text.wv', r, r)).reshape([q, k, steps, heads, dh]);
      const attention = tf.softmax(query.mul(keys).sum(-1).div(Math.sqrt(dh)).transpose([0, 1, 3, 2])); // [q, k, heads, steps]
      const attended = attention.expandDims(-1).mul(values.transpose([0, 1, 3, 2, 4])).sum(3).reshape([q * k, r]) as tf.Tensor2D;
      const t1 = matMul(attended, this.m('text.wo', r, r)).reshape([q, k, r]).add(token.reshape([q, 1, r]));
      const refinedText = this.gatedBlock(this.layerNorm(t1, 'text.ln1').reshape([q * k, r]) as tf.Tensor2D, 'text');

      const toFrames = matMul(matMul(token, this.m('video.wv', r, r)), this.m('video.wo', r, r)).reshape([q, 1, 1, r]);
      const v1 = this.layerNorm(tokens.add(toFrames), 'video.ln1').reshape([q * k * steps, r]) as tf.Tensor2D;
      const pooled = this.gatedBlock(v1, 'video').reshape([q * k, steps, r]).mean(1);

      const cos = refinedText.mul(pooled).sum(1).div(refinedText.square().sum(1).mul(pooled.square().sum(1)).add(1e-12).sqrt());
      return s0.add(cos.reshape([q, k]).mul(this.vars.beta)) as tf.Tensor2D;
    });
  }

}
