/**
 * Plain-JavaScript maths of the heads' inference forms (what search and eval run without loading
 * TensorFlow.js). Matrices are row-major; a weight multiplies from the right: `x · W`, `W` is `in × out`.
 */

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

/** LayerNorm of each row of `x` (`rows × dim`), ε = 1e-5, with gain `g` and bias `b`. */
export function layerNorm(x: Float32Array, rows: number, dim: number, g: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let row = 0; row < rows; row++) {
    let mean = 0;
    for (let j = 0; j < dim; j++) mean += x[row * dim + j] / dim;
    let variance = 0;
    for (let j = 0; j < dim; j++) variance += (x[row * dim + j] - mean) ** 2 / dim;
    const inv = 1 / Math.sqrt(variance + 1e-5);
    for (let j = 0; j < dim; j++) out[row * dim + j] = (x[row * dim + j] - mean) * inv * g[j] + b[j];
  }
  return out;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = 0; j < a.length; j++) {
    ab += a[j] * b[j];
    aa += a[j] * a[j];
    bb += b[j] * b[j];
  }
  return ab / Math.sqrt(aa * bb + 1e-12);
}

/**
 * The row of a position embedding trained for `steps` frames that frame `t` of `n` uses: itself when
 * `n === steps`, else proportionally (a clip sampled with more or fewer frames keeps its time layout).
 */
export function positionRow(t: number, n: number, steps: number): number {
  return n === steps ? t : Math.min(steps - 1, Math.floor((t * steps) / n));
}
