import { tf } from '../tf.js';
import { bilinearWeights } from './geometry.js';
import type { PointBatch, PointNet } from './point-net.js';

type Point = [number, number];

/** Builds the tracker's input for clips `idx`: their standardised tokens and query points padded to the most queries (padding masked). */
export function pointBatch(tokens: Float32Array, idx: number[], queries: Point[][], shape: { frames: number; grid: number; width: number }): PointBatch & { mask: Float32Array } {
  const { frames, grid, width } = shape;
  const n = grid * grid;
  const per = frames * n * width;
  const q = Math.max(...idx.map((i) => queries[i].length));
  const data = new Float32Array(idx.length * per);
  idx.forEach((i, k) => data.set(tokens.subarray(i * per, (i + 1) * per), k * per));
  const points = new Float32Array(idx.length * q * 2).fill(0.5);
  const sampling = new Float32Array(idx.length * q * n);
  const mask = new Float32Array(idx.length * q);
  idx.forEach((i, k) => {
    for (let j = 0; j < q; j++) {
      const p = queries[i][j] ?? ([0.5, 0.5] as Point);
      points.set(p, (k * q + j) * 2);
      sampling.set(bilinearWeights(p, grid), (k * q + j) * n);
      mask[k * q + j] = j < queries[i].length ? 1 : 0;
    }
  });
  return { tokens: tf.tensor4d(data, [idx.length, frames, n, width]), points, queries: q, sampling, mask };
}

const inFrame = (v: number) => Math.min(1, Math.max(0, v));

/** Predicted end points per clip of `idx`, from a batch's `[clips, queries, 2]` output (padding dropped), kept inside the frame. */
function unpad(out: Float32Array, idx: number[], queries: Point[][], q: number): Point[][] {
  return idx.map((i, k) => queries[i].map((_, j) => [inFrame(out[(k * q + j) * 2]), inFrame(out[(k * q + j) * 2 + 1])] as Point));
}

/** Tracks of clips `idx` in batches (the tokens of a whole dataset need not fit one tensor). */
export function predictTracks(net: PointNet, tokens: Float32Array, idx: number[], queries: Point[][], shape: { frames: number; grid: number; width: number }): Point[][] {
  const out: Point[][] = [];
  for (let s = 0; s < idx.length; s += 64) {
    const part = idx.slice(s, s + 64);
    const batch = pointBatch(tokens, part, queries, shape);
    try {
      out.push(...unpad(tf.tidy(() => net.trackEnd(batch).dataSync() as Float32Array), part, queries, batch.queries));
    } finally {
      batch.tokens.dispose();
    }
  }
  return out;
}

