import type { EpochEvent } from '../core/events.js';
import { applyStandard, standardStats, type Standardisation } from '../heads/readout/standardise.js';
import { PointNet } from '../heads/point/point-net.js';
import { pointBatch, predictTracks } from '../heads/point/track.js';
import type { HeadWeights } from '../heads/spec.js';
import { initTf, tf } from '../heads/tf.js';
import { Rng } from '../util/random.js';
import { AdamW } from './adamw.js';
import { READOUT_DEFAULTS, READOUT_LR } from './defaults.js';
import { lrHint, minibatchEpoch, trainLoop } from './loop.js';

type Point = [number, number];

/** Huber's δ in normalised units: errors past 5 % of the frame count linearly. */
const HUBER_DELTA = 0.05;

/** Clips' patch tokens and point tracks as the tracker trains on them. */
export interface TrackingInput {
  /** `clips × frames × tokens × width`. */
  tokens: Float32Array;
  frames: number;
  grid: number;
  width: number;
  queries: Point[][];
  endpoints: Point[][];
  valid: boolean[][];
  train: number[];
  val: number[];
  /** The validation score early stopping watches (higher is better), from predictions for the `val` clips. */
  validate: (predictions: Point[][]) => number;
  epochs?: number;
  lr?: number;
  seed?: number;
  onEpoch?: (e: EpochEvent) => void;
}

export interface TrackingFit {
  weights: HeadWeights;
  standard: Standardisation;
  bestEpoch: number;
  valScore: number;
  epochs: number;
  backend: string;
  /** The kept epoch's network (the caller disposes it), for predictions on other clips. */
  net: PointNet;
  standardised: Float32Array;
}

/**
 * Trains the point tracker (`PointNet`) on frozen patch tokens: Huber loss (δ 0.05) on the visible end
 * points, AdamW with warmup and cosine decay as the readouts; the epoch with the best validation score is
 * kept (epoch 0: the untrained net, which predicts about the query point).
 */
export async function fitTracking(input: TrackingInput): Promise<TrackingFit> {
  const backend = await initTf();
  const { frames, grid, width } = input;
  const shape = { frames, grid, width };
  const epochs = input.epochs ?? READOUT_DEFAULTS.epochs;
  const batchSize = READOUT_DEFAULTS.batchSize;
  const seed = input.seed ?? READOUT_DEFAULTS.seed;
  const rng = new Rng(seed);
  const standard = standardStats(input.tokens, input.train, frames * grid * grid, width);
  const standardised = applyStandard(input.tokens, standard, width);
  const net = new PointNet(width, grid, undefined, seed);
  const score = () => input.validate(predictTracks(net, standardised, input.val, input.queries, shape));
  const optimizer = new AdamW(input.lr ?? READOUT_LR, READOUT_DEFAULTS.weightDecay, epochs * Math.ceil(input.train.length / batchSize));
  try {
    const result = await trainLoop({
      epochs,
      patience: READOUT_DEFAULTS.patience,
      start: { score: score(), snapshot: net.snapshot() },
      divergenceHint: lrHint(input.lr ?? READOUT_LR),
      onEpoch: input.onEpoch,
      trainEpoch: () =>
        minibatchEpoch(rng, input.train, batchSize, (idx) => {
          const batch = pointBatch(standardised, idx, input.queries, shape);
          const q = batch.queries;
          const target = new Float32Array(idx.length * q * 2);
          const weight = new Float32Array(idx.length * q);
          idx.forEach((i, k) => input.endpoints[i].forEach((p, j) => {
            target.set(p, (k * q + j) * 2);
            weight[k * q + j] = input.valid[i][j] ? batch.mask[k * q + j] : 0;
          }));
          try {
            return optimizer.step(() => tf.tidy(() => {
              const weights = tf.tensor3d(weight, [idx.length, q, 1]);
              return tf.losses.huberLoss(tf.tensor3d(target, [idx.length, q, 2]), net.trackEnd(batch), weights, HUBER_DELTA) as tf.Scalar;
            }), net.variables, net.decayed);
          } finally {
            batch.tokens.dispose();
          }
        }),
      validate: () => ({ score: score(), snapshot: () => net.snapshot() }),
    });
    const best = new PointNet(width, grid, undefined, seed, result.best.snapshot);
    return { weights: result.best.snapshot, standard, bestEpoch: result.best.epoch, valScore: result.best.score, epochs: result.history.length, backend, net: best, standardised };
  } finally {
    net.dispose();
    optimizer.dispose();
  }
}
