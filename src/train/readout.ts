import { Rng } from '../util/random.js';
import { initTf, matMul, tf } from './tf.js';

export type ReadoutHead = 'mean' | 'temporal' | 'attentive';

export interface ReadoutInput {
  /** Per-frame features, `clips × frames × dim`. */
  frames: Float32Array;
  clips: number;
  steps: number;
  dim: number;
  labels: number[];
  classes: number;
  train: number[];
  val: number[];
  head: ReadoutHead;
  epochs?: number;
  lr?: number;
  batchSize?: number;
  patience?: number;
  seed?: number;
}

export interface ReadoutResult {
  /** Logits for every clip, `clips × classes`, from the epoch with the best validation accuracy. */
  logits: Float32Array;
  bestEpoch: number;
  valAccuracy: number;
  epochs: number;
  backend: string;
}

/**
 * Z-scores every feature dimension with the mean and deviation over the training clips' frames:
 * frozen embeddings share a large common component that would otherwise swamp what tells clips apart.
 */
export function standardise(frames: Float32Array, train: number[], steps: number, dim: number): Float32Array {
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  const n = train.length * steps;
  for (const c of train) {
    for (let t = 0; t < steps; t++) {
      const o = (c * steps + t) * dim;
      for (let j = 0; j < dim; j++) {
        mean[j] += frames[o + j] / n;
        sq[j] += (frames[o + j] * frames[o + j]) / n;
      }
    }
  }
  const out = new Float32Array(frames.length);
  for (let k = 0; k < frames.length; k++) {
    const j = k % dim;
    out[k] = (frames[k] - mean[j]) / Math.sqrt(Math.max(sq[j] - mean[j] * mean[j], 1e-12));
  }
  return out;
}

/**
 * A classifier on frozen per-frame features. `mean`: the linear readout of SciVid — mean over time,
 * then a linear layer. `temporal`: the TVTSv2 idea — a temporal self-attention block (learned
 * temporal position embedding) added as a residual whose output projection starts at zero, so at
 * step 0 it *is* the mean-pooling readout ("degradation-free"), then the same mean and linear layer.
 * Adam with cosine decay; the epoch with the best validation accuracy is kept.
 */
export async function fitReadout(input: ReadoutInput): Promise<ReadoutResult> {
  const backend = await initTf();
  const { clips, steps, dim, classes, head } = input;
  const epochs = input.epochs ?? 150;
  const rng = new Rng(input.seed ?? 0);
  const init = (shape: number[], std: number) => tf.variable(tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * std), shape));
  const queries = 4;
  const heads = dim % 4 === 0 ? 4 : 1;
  const att = {
    lnG: tf.variable(tf.ones([dim])),
    lnB: tf.variable(tf.zeros([dim])),
    q: init([queries, dim], 0.02),
    wk: init([dim, dim], 1 / Math.sqrt(dim)),
    wv: init([dim, dim], 1 / Math.sqrt(dim)),
    wp: init([dim, dim], 1 / Math.sqrt(dim)),
    ln2G: tf.variable(tf.ones([dim])),
    ln2B: tf.variable(tf.zeros([dim])),
    m1: init([dim, 4 * dim], 1 / Math.sqrt(dim)),
    m1b: tf.variable(tf.zeros([4 * dim])),
    m2: init([4 * dim, dim], 1 / Math.sqrt(4 * dim)),
    m2b: tf.variable(tf.zeros([dim])),
  };
  const vars = {
    w: init([dim, classes], 0.01),
    b: tf.variable(tf.zeros([classes])),
    pos: init([steps, dim], 0.02),
    wq: init([dim, dim], 1 / Math.sqrt(dim)),
    wk: init([dim, dim], 1 / Math.sqrt(dim)),
    wv: init([dim, dim], 1 / Math.sqrt(dim)),
    wo: tf.variable(tf.zeros([dim, dim])),
  };
  const trainable = head === 'temporal' ? Object.values(vars) : head === 'attentive' ? [vars.w, vars.b, vars.pos, ...Object.values(att)] : [vars.w, vars.b];
  const layerNorm = (x: tf.Tensor, g: tf.Variable, b: tf.Variable) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return x.sub(mean).div(variance.add(1e-5).sqrt()).mul(g).add(b);
  };
  const m2 = (w: tf.Variable) => w as unknown as tf.Tensor2D;
  /**
   * SciVid's attentive readout: LayerNorm → + temporal position embedding → learned queries
   * cross-attend over the frames (multi-head) → residual query + projection → LayerNorm → 4× MLP with
   * residual → mean over queries (then the shared linear head).
   */
  const attentive = (batch: tf.Tensor3D): tf.Tensor2D => {
    const n = batch.shape[0];
    const dh = dim / heads;
    const h = layerNorm(batch, att.lnG, att.lnB).add(vars.pos) as tf.Tensor3D;
    const flat = h.reshape([n * steps, dim]) as tf.Tensor2D;
    const split = (x: tf.Tensor, tokens: number) => x.reshape([n, tokens, heads, dh]).transpose([0, 2, 1, 3]);
    const k = split(matMul(flat, m2(att.wk)), steps);
    const v = split(matMul(flat, m2(att.wv)), steps);
    const q = split(tf.tile(att.q.reshape([1, queries, dim]), [n, 1, 1]), queries);
    const weights = tf.softmax(tf.matMul(q, k.transpose([0, 1, 3, 2])).div(Math.sqrt(dh)));
    const attended = tf.matMul(weights, v).transpose([0, 2, 1, 3]).reshape([n * queries, dim]) as tf.Tensor2D;
    const z = tf.tile(att.q, [n, 1]).add(matMul(attended, m2(att.wp))) as tf.Tensor2D;
    const normed = layerNorm(z, att.ln2G, att.ln2B) as tf.Tensor2D;
    const mlp = matMul(matMul(normed, m2(att.m1)).add(att.m1b).relu() as tf.Tensor2D, m2(att.m2)).add(att.m2b);
    return z.add(mlp).reshape([n, queries, dim]).mean(1) as tf.Tensor2D;
  };
  const x = tf.tensor3d(standardise(input.frames, input.train, steps, dim), [clips, steps, dim]);
  const y = tf.oneHot(tf.tensor1d(input.labels, 'int32'), classes);

  const forward = (batch: tf.Tensor3D): tf.Tensor2D =>
    tf.tidy(() => {
      if (head === 'attentive') return matMul(attentive(batch), vars.w as unknown as tf.Tensor2D).add(vars.b) as tf.Tensor2D;
      let z: tf.Tensor3D = batch;
      if (head === 'temporal') {
        const n = batch.shape[0];
        const h = batch.add(vars.pos) as tf.Tensor3D;
        const flat = h.reshape([n * steps, dim]) as tf.Tensor2D;
        const q = matMul(flat, m2(vars.wq)).reshape([n, steps, dim]);
        const k = matMul(flat, m2(vars.wk)).reshape([n, steps, dim]);
        const v = matMul(flat, m2(vars.wv)).reshape([n, steps, dim]);
        const attention = tf.softmax(tf.matMul(q, k.transpose([0, 2, 1])).div(Math.sqrt(dim)));
        const attended = tf.matMul(attention, v).reshape([n * steps, dim]) as tf.Tensor2D;
        z = batch.add(matMul(attended, m2(vars.wo)).reshape([n, steps, dim])) as tf.Tensor3D;
      }
      return matMul(z.mean(1) as tf.Tensor2D, vars.w as unknown as tf.Tensor2D).add(vars.b) as tf.Tensor2D;
    });

  const accuracyOn = (idx: number[]) =>
    tf.tidy(() => {
      const logits = forward(tf.gather(x, idx) as tf.Tensor3D);
      const correct = logits.argMax(1).equal(tf.tensor1d(idx.map((i) => input.labels[i]), 'int32')).sum().dataSync()[0];
      return correct / idx.length;
    });

  const lr0 = input.lr ?? 3e-3;
  const optimizer = tf.train.adam(lr0);
  const batchSize = input.batchSize ?? 32;
  let best = { acc: -1, epoch: 0, logits: new Float32Array(clips * classes) };
  let ran = 0;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      ran = epoch;
      // Cosine decay of the learning rate over the run.
      (optimizer as unknown as { learningRate: number }).learningRate = lr0 * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / epochs));
      const order = rng.shuffle(input.train);
      for (let s = 0; s < order.length; s += batchSize) {
        const idx = order.slice(s, s + batchSize);
        const cost = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(tf.gather(y, idx), forward(tf.gather(x, idx) as tf.Tensor3D)) as tf.Scalar,
          true,
          trainable,
        );
        cost?.dispose();
      }
      const acc = accuracyOn(input.val);
      if (acc > best.acc) {
        best = { acc, epoch, logits: tf.tidy(() => forward(x).dataSync() as Float32Array).slice() };
      } else if (epoch - best.epoch >= (input.patience ?? 40)) break;
    }
  } finally {
    for (const v of [...Object.values(vars), ...Object.values(att)]) v.dispose();
    x.dispose();
    y.dispose();
    optimizer.dispose();
  }
  return { logits: best.logits, bestEpoch: best.epoch, valAccuracy: best.acc, epochs: ran, backend };
}
