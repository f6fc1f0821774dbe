import { Rng } from '../util/random.js';
import { ReadoutNet } from '../heads/readout/readout-net.js';
import { applyStandard, standardStats, type Standardisation } from '../heads/readout/standardise.js';
import { scaleOutputs, type TargetScaling } from '../heads/forecast/forecaster.js';
import type { HeadWeights } from '../heads/spec.js';
import type { EpochEvent } from '../core/events.js';
import { initTf, tf } from '../heads/tf.js';
import { AdamW } from './adamw.js';
import { READOUT_DEFAULTS, READOUT_LR } from './defaults.js';
import { lrHint, minibatchEpoch, trainLoop } from './loop.js';
import { forecastMetrics } from '../eval/metrics/forecast.js';

export interface ForecastInput {
  /** Per-frame features, `clips × steps × dim`. */
  frames: Float32Array;
  clips: number;
  steps: number;
  dim: number;
  /** Values to forecast, `clips × leadSteps × valueSize`, and what each is added to (same layout). */
  targets: Float32Array;
  bases: Float32Array;
  leadSteps: number;
  valueSize: number;
  /** Lead steps of the validation headline RMSE. */
  leads: number[];
  train: number[];
  val: number[];
  epochs?: number;
  lr?: number;
  seed?: number;
  onEpoch?: (e: EpochEvent) => void;
}

export interface ForecastFit {
  /** Forecasts for every clip, `clips × leadSteps × valueSize`, from the epoch with the best validation headline. */
  predictions: Float32Array;
  weights: HeadWeights;
  standard: Standardisation;
  /** How raw outputs are scaled (the SciVid heads; the point head has none). */
  target?: TargetScaling;
  bestEpoch: number;
  /** That epoch's validation headline RMSE. */
  valRmse: number;
  epochs: number;
  backend: string;
}

/** The headline RMSE of forecasts (`clips × leadSteps × valueSize`) over the validation clips. */
export function validationHeadline(input: ForecastInput, predictions: Float32Array): number {
  const { leadSteps, valueSize } = input;
  const truth = asSteps(input.targets, input.val, leadSteps, valueSize);
  return forecastMetrics(asSteps(predictions, input.val, leadSteps, valueSize).map((pred, k) => ({ pred, truth: truth[k] })), input.leads).headline;
}

/** Per output, the training mean of `target − base` and the deviation around it: what the head's raw outputs are scaled by. */
function targetScaling(targets: Float32Array, bases: Float32Array, train: number[], outputs: number): TargetScaling {
  const offset = new Float32Array(outputs);
  const scale = new Float32Array(outputs);
  for (let k = 0; k < outputs; k++) {
    const d = train.map((i) => targets[i * outputs + k] - bases[i * outputs + k]);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    offset[k] = mean;
    scale[k] = Math.max(Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length), 1e-6);
  }
  return { offset, scale };
}

/** `clips × leadSteps × valueSize` floats as per-clip step vectors. */
export function asSteps(flat: Float32Array, idx: readonly number[], leadSteps: number, valueSize: number): number[][][] {
  return idx.map((i) => Array.from({ length: leadSteps }, (_, t) => Array.from(flat.subarray((i * leadSteps + t) * valueSize, (i * leadSteps + t + 1) * valueSize))));
}

/**
 * Trains a forecast readout (`mean`: SciVid's linear readout; `attentive`) on frozen per-frame
 * features: each output is `base + offset + scale · head(x)` (REFERENCES §5: the head learns the
 * deviation), L2 loss on the scaled deviation, AdamW with warmup and cosine decay as the other readouts;
 * the epoch with the lowest validation headline RMSE is kept (epoch 0: the offset alone).
 */
export async function fitForecast(input: ForecastInput & { head: 'mean' | 'attentive' }): Promise<ForecastFit> {
  const backend = await initTf();
  const { clips, steps, dim, leadSteps, valueSize } = input;
  const outputs = leadSteps * valueSize;
  const epochs = input.epochs ?? READOUT_DEFAULTS.epochs;
  const batchSize = READOUT_DEFAULTS.batchSize;
  const seed = input.seed ?? READOUT_DEFAULTS.seed;
  const rng = new Rng(seed);
  const net = new ReadoutNet(input.head, steps, dim, outputs, seed);
  const standard = standardStats(input.frames, input.train, steps, dim);
  const target = targetScaling(input.targets, input.bases, input.train, outputs);
  const scaled = Float32Array.from(input.targets, (v, k) => (v - input.bases[k] - target.offset[k % outputs]) / target.scale[k % outputs]);
  const x = tf.tensor3d(applyStandard(input.frames, standard, dim), [clips, steps, dim]);
  const y = tf.tensor2d(scaled, [clips, outputs]);
  const predict = () => scaleOutputs(tf.tidy(() => net.forward(x).dataSync() as Float32Array).slice(), input.bases, target);
  const valRmse = (predictions: Float32Array) => validationHeadline(input, predictions);
  const optimizer = new AdamW(input.lr ?? READOUT_LR, READOUT_DEFAULTS.weightDecay, epochs * Math.ceil(input.train.length / batchSize));
  const offsetOnly = scaleOutputs(new Float32Array(clips * outputs), input.bases, target);
  let result;
  try {
    result = await trainLoop({
      epochs,
      patience: READOUT_DEFAULTS.patience,
      start: { score: -valRmse(offsetOnly), snapshot: { predictions: offsetOnly, weights: net.snapshot() } },
      divergenceHint: lrHint(input.lr ?? READOUT_LR),
      onEpoch: input.onEpoch && ((e) => input.onEpoch!({ ...e, validation: -e.validation })),
      trainEpoch: () =>
        minibatchEpoch(rng, input.train, batchSize, (idx) =>
          optimizer.step(() => tf.losses.meanSquaredError(tf.gather(y, idx), net.forward(tf.gather(x, idx) as tf.Tensor3D)) as tf.Scalar, net.variables, net.decayed)),
      validate: () => {
        const predictions = predict();
        return { score: -valRmse(predictions), snapshot: () => ({ predictions, weights: net.snapshot() }) };
      },
    });
  } finally {
    net.dispose();
    x.dispose();
    y.dispose();
    optimizer.dispose();
  }
  const { best, history } = result;
  return { predictions: best.snapshot.predictions, weights: best.snapshot.weights, standard, target, bestEpoch: best.epoch, valRmse: -best.score, epochs: history.length, backend };
}
