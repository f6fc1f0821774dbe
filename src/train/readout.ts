import { Rng } from '../util/random.js';
import { ReadoutNet, type ReadoutHead } from '../heads/readout/readout-net.js';
import { applyStandard, standardStats, type Standardisation } from '../heads/readout/standardise.js';
import type { HeadWeights } from '../heads/spec.js';
import { AdamW } from './adamw.js';
import type { EpochEvent } from '../core/events.js';
import { initTf, tf } from '../heads/tf.js';
import { READOUT_DEFAULTS, READOUT_LR } from './defaults.js';
import { lrHint, minibatchEpoch, trainLoop } from './loop.js';
import { multiLabelMap } from '../eval/metrics/classification.js';

export type { ReadoutHead } from '../heads/readout/readout-net.js';

export interface ReadoutInput {
  /** Per-frame features, `clips × frames × dim`. */
  frames: Float32Array;
  clips: number;
  steps: number;
  dim: number;
  /** Each clip's class, for a softmax readout. */
  labels: number[];
  /** Multi-hot targets `clips × classes` instead: a sigmoid per class, BCE loss, validated by mAP. */
  targets?: Float32Array;
  classes: number;
  train: number[];
  val: number[];
  head: ReadoutHead;
  epochs?: number;
  lr?: number;
  /** Decoupled (AdamW) weight decay on the weight matrices. */
  weightDecay?: number;
  batchSize?: number;
  patience?: number;
  seed?: number;
  onEpoch?: (e: EpochEvent) => void;
}

export interface ReadoutResult {
  /** Logits for every clip, `clips × classes`, from the epoch with the best validation accuracy (mAP for multi-label). */
  logits: Float32Array;
  /** That epoch's weights, and the standardisation the head expects its input in. */
  weights: HeadWeights;
  standard: Standardisation;
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
  return applyStandard(frames, standardStats(frames, train, steps, dim), dim);
}

/**
 * Trains a readout head (see `ReadoutNet`) on frozen per-frame features: AdamW (decoupled weight
 * decay 1e-4 on weight matrices) with linear warmup over the first 5 % of steps and cosine decay
 * (SciVid's recipe); the epoch with the best validation accuracy is kept. With multi-hot `targets`,
 * a sigmoid per class under binary cross-entropy, and the best validation mAP.
 */
export async function fitReadout(input: ReadoutInput): Promise<ReadoutResult> {
  const backend = await initTf();
  const { clips, steps, dim, classes, head } = input;
  const epochs = input.epochs ?? READOUT_DEFAULTS.epochs;
  const batchSize = input.batchSize ?? READOUT_DEFAULTS.batchSize;
  const rng = new Rng(input.seed ?? READOUT_DEFAULTS.seed);
  const net = new ReadoutNet(head, steps, dim, classes, input.seed ?? READOUT_DEFAULTS.seed);
  const standard = standardStats(input.frames, input.train, steps, dim);
  const x = tf.tensor3d(applyStandard(input.frames, standard, dim), [clips, steps, dim]);
  const multi = input.targets;
  const y = multi ? tf.tensor2d(multi, [clips, classes]) : tf.tidy(() => tf.oneHot(tf.tensor1d(input.labels, 'int32'), classes));
  const loss = multi ? tf.losses.sigmoidCrossEntropy : tf.losses.softmaxCrossEntropy;
  const validation = (idx: number[]) =>
    tf.tidy(() => {
      const logits = net.forward(tf.gather(x, idx) as tf.Tensor3D);
      if (multi) return multiLabelMap({ data: logits.dataSync() as Float32Array, rows: idx.length, cols: classes }, { data: tf.gather(y, idx).dataSync() as Float32Array, rows: idx.length, cols: classes }).mAP;
      return logits.argMax(1).equal(tf.tensor1d(idx.map((i) => input.labels[i]), 'int32')).sum().dataSync()[0] / idx.length;
    });
  const stepsPerEpoch = Math.ceil(input.train.length / batchSize);
  const optimizer = new AdamW(input.lr ?? READOUT_LR, input.weightDecay ?? READOUT_DEFAULTS.weightDecay, epochs * stepsPerEpoch);
  const keep = () => ({ logits: tf.tidy(() => net.forward(x).dataSync() as Float32Array).slice(), weights: net.snapshot() });
  let result;
  try {
    result = await trainLoop({
      epochs,
      patience: input.patience ?? READOUT_DEFAULTS.patience,
      // No zero-shot start for a classifier: any first epoch is kept over it.
      start: { score: -1, snapshot: { logits: new Float32Array(clips * classes), weights: net.snapshot() } },
      divergenceHint: lrHint(input.lr ?? READOUT_LR),
      onEpoch: input.onEpoch,
      trainEpoch: () =>
        minibatchEpoch(rng, input.train, batchSize, (idx) =>
          optimizer.step(() => loss(tf.gather(y, idx), net.forward(tf.gather(x, idx) as tf.Tensor3D)) as tf.Scalar, net.variables, net.decayed)),
      validate: () => ({ score: validation(input.val), snapshot: keep }),
    });
  } finally {
    net.dispose();
    x.dispose();
    y.dispose();
    optimizer.dispose();
  }
  const { best, history } = result;
  return { logits: best.snapshot.logits, weights: best.snapshot.weights, standard, bestEpoch: best.epoch, valAccuracy: best.score, epochs: history.length, backend };
}
