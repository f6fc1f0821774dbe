import { Rng } from '../util/random.js';
import { matMul, tf, variableFrom } from './tf.js';

export type ReadoutHead = 'mean' | 'temporal' | 'attentive';

/** Named weights with their shapes: what a saved classifier stores. */
export type NamedTensors = Record<string, { shape: number[]; data: Float32Array }>;

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
export class ReadoutNet {
  readonly vars: Record<string, tf.Variable> = {};
  private readonly queries = 4;
  private readonly heads: number;

  constructor(
    readonly head: ReadoutHead,
    readonly steps: number,
    readonly dim: number,
    readonly classes: number,
    seed: number,
    saved?: NamedTensors,
  ) {
    const rng = new Rng(seed);
    this.heads = dim % 4 === 0 ? 4 : 1;
    for (const [name, { shape, init }] of Object.entries(this.layout())) {
      const size = shape.reduce((a, b) => a * b, 1);
      const given = saved?.[name];
      if (saved && (!given || given.data.length !== size)) throw new Error(`saved readout lacks ${name} (${shape.join('×')})`);
      const data = given?.data ?? (typeof init === 'number' ? Float32Array.from({ length: size }, () => rng.normal() * init) : new Float32Array(size).fill(init === 'ones' ? 1 : 0));
      this.vars[name] = variableFrom(data, shape);
    }
  }

  /** The head's weights: shape and initialisation (a number is the std of a normal draw). */
  private layout(): Record<string, { shape: number[]; init: number | 'zeros' | 'ones' }> {
    const { dim, steps, classes } = this;
    const scaled = 1 / Math.sqrt(dim);
    const out: Record<string, { shape: number[]; init: number | 'zeros' | 'ones' }> = { w: { shape: [dim, classes], init: 0.01 }, b: { shape: [classes], init: 'zeros' } };
    if (this.head === 'temporal') {
      Object.assign(out, {
        pos: { shape: [steps, dim], init: 0.02 },
        wq: { shape: [dim, dim], init: scaled },
        wk: { shape: [dim, dim], init: scaled },
        wv: { shape: [dim, dim], init: scaled },
        wo: { shape: [dim, dim], init: 'zeros' },
      });
    }
    if (this.head === 'attentive') {
      Object.assign(out, {
        pos: { shape: [steps, dim], init: 0.02 },
        lnG: { shape: [dim], init: 'ones' },
        lnB: { shape: [dim], init: 'zeros' },
        q: { shape: [this.queries, dim], init: 0.02 },
        wk: { shape: [dim, dim], init: scaled },
        wv: { shape: [dim, dim], init: scaled },
        wp: { shape: [dim, dim], init: scaled },
        ln2G: { shape: [dim], init: 'ones' },
        ln2B: { shape: [dim], init: 'zeros' },
        m1: { shape: [dim, 4 * dim], init: scaled },
        m1b: { shape: [4 * dim], init: 'zeros' },
        m2: { shape: [4 * dim, dim], init: 1 / Math.sqrt(4 * dim) },
        m2b: { shape: [dim], init: 'zeros' },
      });
    }
    return out;
  }

  get variables(): tf.Variable[] {
    return Object.values(this.vars);
  }

  /** Weight matrices (rank ≥ 2): what decoupled weight decay applies to; biases, LayerNorm and position vectors are left alone. */
  get decayed(): tf.Variable[] {
    return Object.entries(this.vars).flatMap(([name, v]) => (v.rank >= 2 && name !== 'pos' && name !== 'q' ? [v] : []));
  }

  private m(name: string): tf.Tensor2D {
    return this.vars[name] as unknown as tf.Tensor2D;
  }

  private layerNorm(x: tf.Tensor, g: string, b: string): tf.Tensor {
    const { mean, variance } = tf.moments(x, -1, true);
    return x.sub(mean).div(variance.add(1e-5).sqrt()).mul(this.vars[g]).add(this.vars[b]);
  }

  private attentive(batch: tf.Tensor3D): tf.Tensor2D {
    const { dim, steps, queries, heads } = this;
    const n = batch.shape[0];
    const dh = dim / heads;
    const h = this.layerNorm(batch, 'lnG', 'lnB').add(this.vars.pos) as tf.Tensor3D;
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
    const { dim, steps } = this;
    const n = batch.shape[0];
    const flat = batch.add(this.vars.pos).reshape([n * steps, dim]) as tf.Tensor2D;
    const q = matMul(flat, this.m('wq')).reshape([n, steps, dim]);
    const k = matMul(flat, this.m('wk')).reshape([n, steps, dim]);
    const v = matMul(flat, this.m('wv')).reshape([n, steps, dim]);
    const attention = tf.softmax(tf.matMul(q, k.transpose([0, 2, 1])).div(Math.sqrt(dim)));
    const attended = tf.matMul(attention, v).reshape([n * steps, dim]) as tf.Tensor2D;
    return batch.add(matMul(attended, this.m('wo')).reshape([n, steps, dim])) as tf.Tensor3D;
  }

  /** Logits `[clips, classes]` for standardised frames `[clips, steps, dim]`. */
  forward(batch: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => {
      const pooled = this.head === 'attentive' ? this.attentive(batch) : ((this.head === 'temporal' ? this.temporal(batch) : batch).mean(1) as tf.Tensor2D);
      return matMul(pooled, this.m('w')).add(this.vars.b) as tf.Tensor2D;
    });
  }

  snapshot(): NamedTensors {
    return Object.fromEntries(Object.entries(this.vars).map(([name, v]) => [name, { shape: v.shape, data: v.dataSync().slice() as Float32Array }]));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
