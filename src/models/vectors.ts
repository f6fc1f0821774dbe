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

/** `x (rows × inDim) · W (inDim × outDim)`, both row-major. */
export function matMulRows(x: Float32Array, rows: number, inDim: number, w: Float32Array, outDim: number): Float32Array {
  const out = new Float32Array(rows * outDim);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < inDim; i++) {
      const xi = x[r * inDim + i];
      if (xi === 0) continue;
      const wi = i * outDim;
      const o = r * outDim;
      for (let j = 0; j < outDim; j++) out[o + j] += xi * w[wi + j];
    }
  }
  return out;
}

/** Softmax of `logits`, in place (max-subtracted for stability). */
export function softmaxInPlace(logits: Float64Array): Float64Array {
  let max = -Infinity;
  for (const l of logits) max = Math.max(max, l);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += (logits[i] = Math.exp(logits[i] - max));
  for (let i = 0; i < logits.length; i++) logits[i] /= sum;
  return logits;
}
