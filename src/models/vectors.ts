/** Scales each of the `rows` vectors of length `dim` in `data` to unit L2 norm, in place. Zero vectors stay zero. */
export function l2NormalizeRows(data: Float32Array, dim: number): Float32Array {
  for (let offset = 0; offset < data.length; offset += dim) {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += data[offset + j] * data[offset + j];
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let j = 0; j < dim; j++) data[offset + j] *= scale;
  }
  return data;
}

/**
 * The baseline video embedding (REFERENCES §6): the L2-normalised mean of the
 * (already L2-normalised) frame embeddings.
 */
export function meanPool(frames: Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(dim);
  for (const frame of frames) for (let j = 0; j < dim; j++) out[j] += frame[j];
  return l2NormalizeRows(out, dim);
}

/** Dot product of two equal-length vectors (a cosine when both are unit length). */
export function dot(a: Float32Array, b: Float32Array, bOffset = 0): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += a[j] * b[bOffset + j];
  return sum;
}
