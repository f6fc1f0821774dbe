import type { HeadWeights } from '../spec.js';
import { tf } from '../tf.js';
import { bilinearWeights } from './geometry.js';
import { PointNet, type PointBatch } from './point-net.js';

/** What the point forecaster needs of its saved form. */
interface PointForecaster {
  meta: { inputDim: number; frames?: number; grid?: number; leadSteps: number; valueSize: number };
  weights: HeadWeights;
}

/** One clip's query for the point forecaster: its last observed position, sampled in the last frame. */
export function forecastBatch(tokens: Float32Array, idx: readonly number[], last: Float32Array, shape: { frames: number; grid: number; width: number }): PointBatch & { last: tf.Tensor2D } {
  const { frames, grid, width } = shape;
  const n = grid * grid;
  const per = frames * n * width;
  const data = new Float32Array(idx.length * per);
  const points = new Float32Array(idx.length * 2);
  const sampling = new Float32Array(idx.length * n);
  idx.forEach((i, k) => {
    data.set(tokens.subarray(i * per, (i + 1) * per), k * per);
    const p: [number, number] = [last[2 * i], last[2 * i + 1]];
    points.set(p, 2 * k);
    sampling.set(bilinearWeights(p, grid), k * n);
  });
  return { tokens: tf.tensor4d(data, [idx.length, frames, n, width]), points, queries: 1, sampling, last: tf.tensor2d(points, [idx.length, 2]) };
}

/** The point forecaster's values `clips × leadSteps × 2` for standardised tokens and bases (each clip's last position per lead step). */
export function pointForecast(saved: PointForecaster, tokens: Float32Array, bases: Float32Array): Float32Array {
  const { inputDim: width, frames = 1, grid = 1, leadSteps, valueSize } = saved.meta;
  const clips = tokens.length / (frames * grid * grid * width);
  const last = Float32Array.from({ length: clips * 2 }, (_, k) => bases[Math.floor(k / 2) * leadSteps * valueSize + (k % 2)]);
  const net = new PointNet(width, grid, { frames, leadSteps, valueSize }, 0, saved.weights);
  const out = new Float32Array(clips * leadSteps * valueSize);
  try {
    for (let s = 0; s < clips; s += 64) {
      const idx = Array.from({ length: Math.min(64, clips - s) }, (_, k) => s + k);
      const batch = forecastBatch(tokens, idx, last, { frames, grid, width });
      try {
        out.set(tf.tidy(() => net.forecast(batch, batch.last).dataSync() as Float32Array), s * leadSteps * valueSize);
      } finally {
        batch.tokens.dispose();
        batch.last.dispose();
      }
    }
  } finally {
    net.dispose();
  }
  return out;
}
