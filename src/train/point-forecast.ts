import { applyStandard, standardStats } from '../heads/readout/standardise.js';
import { forecastBatch, pointForecast } from '../heads/point/forecast.js';
import { PointNet } from '../heads/point/point-net.js';
import { initTf, tf } from '../heads/tf.js';
import { Rng } from '../util/random.js';
import { AdamW } from './adamw.js';
import { READOUT_DEFAULTS, READOUT_LR } from './defaults.js';
import { validationHeadline, type ForecastFit, type ForecastInput } from './forecast.js';
import { lrHint, minibatchEpoch, trainLoop } from './loop.js';

/**
 * Trains the point forecaster (`PointNet.forecast`) on frozen patch tokens: each clip's last observed
 * position is its query, the values are that position plus how the attended track moved (L2 loss, AdamW
 * with warmup and cosine decay as the readouts); epoch 0 is persistence, the best validation headline is kept.
 */
export async function fitPointForecast(input: ForecastInput & { tokenFrames: number; grid: number }): Promise<ForecastFit> {
  const backend = await initTf();
  const { clips, dim: width, tokenFrames: frames, grid, leadSteps, valueSize } = input;
  const shape = { frames, grid, width };
  const epochs = input.epochs ?? READOUT_DEFAULTS.epochs;
  const batchSize = READOUT_DEFAULTS.batchSize;
  const seed = input.seed ?? READOUT_DEFAULTS.seed;
  const rng = new Rng(seed);
  const standard = standardStats(input.frames, input.train, frames * grid * grid, width);
  const x = applyStandard(input.frames, standard, width);
  const last = Float32Array.from({ length: clips * 2 }, (_, k) => input.bases[Math.floor(k / 2) * leadSteps * valueSize + (k % 2)]);
  const net = new PointNet(width, grid, { frames, leadSteps, valueSize }, seed);
  const predict = () => pointForecast({ meta: { inputDim: width, frames, grid, leadSteps, valueSize }, weights: net.snapshot() }, x, input.bases);
  const valRmse = (p: Float32Array) => validationHeadline(input, p);
  const optimizer = new AdamW(input.lr ?? READOUT_LR, READOUT_DEFAULTS.weightDecay, epochs * Math.ceil(input.train.length / batchSize));
  const outputs = leadSteps * valueSize;
  try {
    const start = predict();
    const result = await trainLoop({
      epochs,
      patience: READOUT_DEFAULTS.patience,
      start: { score: -valRmse(start), snapshot: { predictions: start, weights: net.snapshot() } },
      divergenceHint: lrHint(input.lr ?? READOUT_LR),
      onEpoch: input.onEpoch && ((e) => input.onEpoch!({ ...e, validation: -e.validation })),
      trainEpoch: () =>
        minibatchEpoch(rng, input.train, batchSize, (idx) => {
          const batch = forecastBatch(x, idx, last, shape);
          const y = new Float32Array(idx.length * outputs);
          idx.forEach((i, k) => y.set(input.targets.subarray(i * outputs, (i + 1) * outputs), k * outputs));
          try {
            return optimizer.step(() => tf.tidy(() => tf.losses.meanSquaredError(tf.tensor2d(y, [idx.length, outputs]), net.forecast(batch, batch.last)) as tf.Scalar), net.variables, net.decayed);
          } finally {
            batch.tokens.dispose();
            batch.last.dispose();
          }
        }),
      validate: () => {
        const predictions = predict();
        return { score: -valRmse(predictions), snapshot: () => ({ predictions, weights: net.snapshot() }) };
      },
    });
    const { best, history } = result;
    return { predictions: best.snapshot.predictions, weights: best.snapshot.weights, standard, target: undefined, bestEpoch: best.epoch, valRmse: -best.score, epochs: history.length, backend };
  } finally {
    net.dispose();
    optimizer.dispose();
  }
}
