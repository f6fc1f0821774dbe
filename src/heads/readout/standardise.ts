/** Per-dimension mean and 1/deviation over the training clips' frames. */
export interface Standardisation {
  mean: Float32Array;
  scale: Float32Array;
}

export function standardStats(frames: Float32Array, train: number[], steps: number, dim: number): Standardisation {
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
  return { mean: Float32Array.from(mean), scale: Float32Array.from(mean, (m, j) => 1 / Math.sqrt(Math.max(sq[j] - m * m, 1e-12))) };
}

export function applyStandard(frames: Float32Array, s: Standardisation, dim: number): Float32Array {
  return Float32Array.from(frames, (x, k) => (x - s.mean[k % dim]) * s.scale[k % dim]);
}
