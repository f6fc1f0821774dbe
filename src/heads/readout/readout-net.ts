import type { HeadSpec, HeadWeights } from '../spec.js';
import { layerNormTf, matMul, positionsTf, tf } from '../tf.js';
import { TrainableHead } from '../trainable.js';

export type ReadoutHead = 'mean' | 'temporal' | 'attentive';

/** Learned queries of the attentive readout. */
const QUERIES = 4;

/** The readout's tensors: a linear layer `w`, `b`, and the temporal or attentive block's (a number is the std of a normal draw). */
export function readoutSpec(head: ReadoutHead, steps: number, dim: number, classes: number): HeadSpec {
  const scaled = { normal: 1 / Math.sqrt(dim) };
  const m = (name: string, rows: number, cols: number, init: HeadSpec[number]['init'] = scaled) => ({ name, shape: [rows, cols], init, decay: true });
  const v = (name: string, size: number, init: 'zeros' | 'ones') => ({ name, shape: [size], init });
  const out: HeadSpec = [m('w', dim, classes, { normal: 0.01 }), v('b', classes, 'zeros')];
  if (head === 'temporal') {
    out.push({ name: 'pos', shape: [steps, dim], init: { normal: 0.02 } }, m('wq', dim, dim), m('wk', dim, dim), m('wv', dim, dim), m('wo', dim, dim, 'zeros'));
  }
  if (head === 'attentive') {
    out.push(
      { name: 'pos', shape: [steps, dim], init: { normal: 0.02 } }, v('lnG', dim, 'ones'), v('lnB', dim, 'zeros'),
      { name: 'q', shape: [QUERIES, dim], init: { normal: 0.02 } }, m('wk', dim, dim), m('wv', dim, dim), m('wp', dim, dim),
      v('ln2G', dim, 'ones'), v('ln2B', dim, 'zeros'), m('m1', dim, 4 * dim), v('m1b', 4 * dim, 'zeros'), m('m2', 4 * dim, dim, { normal: 1 / Math.sqrt(4 * dim) }), v('m2b', dim, 'zeros'),
    );
  }
  return out;
}

/**
 * A classifier head on frozen per-frame features `[clips, steps, dim]`.
 * - `mean`: SciVid's linear readout — mean over time, then a linear layer.
 * - `temporal`: the TVTSv2 idea — a temporal self-attention block (learned temporal position
 *   embedding) added as a residual whose output projection starts at zero, so at step 0 it *is*
 *   the mean-pooling readout ("degradation-free"), then the same mean and linear layer.
 * - `attentive`: SciVid's attentive readout — LayerNorm → + temporal position embedding → learned
 *   queries cross-attend over the frames (multi-head) → residual query + projection → LayerNorm →
 *   4× MLP with residual → mean over queries → linear layer.
 */
export class ReadoutNet extends TrainableHead {
  private readonly queries = QUERIES;
  private readonly heads: number;

  constructor(
    readonly head: ReadoutHead,
    readonly steps: number,
    readonly dim: number,
    readonly classes: number,
    seed: number,
    saved?: HeadWeights,
  ) {
    super(readoutSpec(head, steps, dim, classes), seed, saved);
    this.heads = dim % 4 === 0 ? 4 : 1;
  }

  private m(name: string): tf.Tensor2D {
    return this.vars[name] as unknown as tf.Tensor2D;
  }

  private layerNorm(x: tf.Tensor, g: string, b: string): tf.Tensor {
    return layerNormTf(x, this.vars[g], this.vars[b]);
  }

  /** The position embedding for a batch's frame count (proportional when it differs from `steps`). */
  private positions(n: number): tf.Tensor2D {
    return positionsTf(this.vars.pos, n, this.steps);
  }

  private attentive(batch: tf.Tensor3D): tf.Tensor2D {
    const { dim, queries, heads } = this;
    const [n, steps] = batch.shape;
    const dh = dim / heads;
    const h = this.layerNorm(batch, 'lnG', 'lnB').add(this.positions(steps)) as tf.Tensor3D;
    const flat = h.reshape([n * steps, dim]) as tf.Tensor2D;
    const split = (x: tf.Tensor, tokens: number) => x.reshape([n, tokens, heads, dh]).transpose([0, 2, 1, 3]);
    const k = split(matMul(flat, this.m('wk')), steps);
    const v = split(matMul(flat, this.m('wv')), steps);
    const q = split(tf.tile(this.vars.q.reshape([1, queries, dim]), [n, 1, 1]), queries);
    const weights = tf.softmax(tf.matMul(q, k.transpose([0, 1, 3, 2])).div(Math.sqrt(dh)));
    const attended = tf.matMul(weights, v).transpose([0, 2, 1, 3]).reshape([n * queries, dim]) as tf.Tensor2D;
    const z = tf.tile(this.vars.q, [n, 1]).add(matMul(attended, this.m('wp'))) as tf.Tensor2D;
    const normed = this.layerNorm(z, 'ln2G', 'ln2B') as tf.Tensor2D;
    const mlp = matMul(matMul(normed, this.m('m1')).add(this.vars.m1b).relu() as tf.Tensor2D, this.m('m2')).add(this.vars.m2b);
    return z.add(mlp).reshape([n, queries, dim]).mean(1) as tf.Tensor2D;
  }

  private temporal(batch: tf.Tensor3D): tf.Tensor3D {
    const { dim } = this;
    const [n, steps] = batch.shape;
    const flat = batch.add(this.positions(steps)).reshape([n * steps, dim]) as tf.Tensor2D;
    const q = matMul(flat, this.m('wq')).reshape([n, steps, dim]);
    const k = matMul(flat, this.m('wk')).reshape([n, steps, dim]);
    const v = matMul(flat, this.m('wv')).reshape([n, steps, dim]);
    const attention = tf.softmax(tf.matMul(q, k.transpose([0, 2, 1])).div(Math.sqrt(dim)));
    const attended = tf.matMul(attention, v).reshape([n * steps, dim]) as tf.Tensor2D;
    return batch.add(matMul(attended, this.m('wo')).reshape([n, steps, dim])) as tf.Tensor3D;
  }

  /** Logits `[clips, classes]` for standardised frames `[clips, n, dim]`. */
  forward(batch: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => {
      const pooled = this.head === 'attentive' ? this.attentive(batch) : ((this.head === 'temporal' ? this.temporal(batch) : batch).mean(1) as tf.Tensor2D);
      return matMul(pooled, this.m('w')).add(this.vars.b) as tf.Tensor2D;
    });
  }

}
