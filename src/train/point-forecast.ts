import { applyStandard, standardStats } from '../heads/readout/standardise.js';
import { forecastBatch, pointForecast } from '../heads/point/forecast.js';
import { PointNet } from '../heads/point/point-net.js';
import { initTf, tf } from '../heads/tf.js';
import { Rng } from '../util/random.js';
import { AdamW } from './adamw.js';
import { READOUT_DEFAULTS, READOUT_LR } from './defaults.js';
import { asSteps, type ForecastFit, type ForecastInput } from './forecast.js';
import { trainLoop } from './loop.js';
import { forecastMetrics } from '../eval/metrics/forecast.js';

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
  const valRmse = (p: Float32Array) => forecastMetrics(asSteps(p, input.val, leadSteps, valueSize).map((pred, k) => ({ pred, truth: asSteps(input.targets, [input.val[k]], leadSteps, valueSize)[0] })), input.leads).headline;
  const optimizer = new AdamW(input.lr ?? READOUT_LR, READOUT_DEFAULTS.weightDecay, epochs * Math.ceil(input.train.length / batchSize));
  const outputs = leadSteps * valueSize;
  try {
    const start = predict();
    const result = await trainLoop({
      epochs,
      patience: READOUT_DEFAULTS.patience,
      start: { score: -valRmse(start), snapshot: { predictions: start, weights: net.snapshot() } },
      divergenceHint: `likely a learning rate too high (try --lr ${(input.lr ?? READOUT_LR) / 10})`,
      onEpoch: input.onEpoch && ((e) => input.onEpoch!({ ...e, validation: -e.validation })),
      trainEpoch: () => {
        const order = rng.shuffle(input.train);
        let lossSum = 0;
        for (let s = 0; s < order.length; s += batchSize) {
          const idx = order.slice(s, s + batchSize);
          const batch = forecastBatch(x, idx, last, shape);
          const y = new Float32Array(idx.length * outputs);
          idx.forEach((i, k) => y.set(input.targets.subarray(i * outputs, (i + 1) * outputs), k * outputs));
          try {
            lossSum += optimizer.step(() => tf.tidy(() => tf.losses.meanSquaredError(tf.tensor2d(y, [idx.length, outputs]), net.forecast(batch, batch.last)) as tf.Scalar), net.variables, net.decayed) * idx.length;
          } finally {
            batch.tokens.dispose();
            batch.last.dispose();
          }
        }
        return lossSum / order.length;
      },
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
