import { l2NormalizeRows, matMulRows, softmaxInPlace } from './vectors.js';

/**
 * The video side's temporal head (REFERENCES §6, TVTSv2 idea): one self-attention block over a
 * clip's frame embeddings with a learned temporal position embedding, added as a residual whose
 * output projection starts at zero, then mean-pooled and L2-normalised. At initialisation it is
 * exactly the stored mean-pooled vector.
 *
 * Matrices are row-major `in × out` (rows multiply from the left: `x · W`). Attention is one head of
 * width `width`, and the value/output pair is low-rank (`dim × width`, `width × dim`).
 */
export interface TemporalHead {
  /** Frames the position embedding was trained for; clips with another count map positions proportionally. */
  steps: number;
  width: number;
  /** `steps × dim` */
  pos: Float32Array;
  /** `dim × width` */
  wq: Float32Array;
  wk: Float32Array;
  wv: Float32Array;
  /** `width × dim` */
  wo: Float32Array;
}

/** The position embedding row for frame `t` of `n` (proportional when `n` differs from `steps`). */
export function positionRow(t: number, n: number, steps: number): number {
  return n === steps ? t : Math.min(steps - 1, Math.floor((t * steps) / n));
}

/**
 * Pools each clip's frames (`clips × n × dim`) through the head. The mean over frames of the block's
 * output is `mean(x) + (Σₛ āₛ hₛ) Wv Wo` with āₛ the attention paid to frame s averaged over
 * queries, so values are projected once per clip rather than once per frame (the same function).
 */
export function temporalPool(head: TemporalHead, frames: Float32Array, n: number, dim: number): Float32Array {
  const clips = frames.length / (n * dim);
  const { width } = head;
  const out = new Float32Array(clips * dim);
  const h = new Float32Array(n * dim);
  const scale = 1 / Math.sqrt(width);
  for (let c = 0; c < clips; c++) {
    const x = frames.subarray(c * n * dim, (c + 1) * n * dim);
    for (let t = 0; t < n; t++) {
      const p = positionRow(t, n, head.steps) * dim;
      for (let j = 0; j < dim; j++) h[t * dim + j] = x[t * dim + j] + head.pos[p + j];
    }
    const q = matMulRows(h, n, dim, head.wq, width);
    const k = matMulRows(h, n, dim, head.wk, width);
    const attention = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const logits = new Float64Array(n);
      for (let s = 0; s < n; s++) {
        let v = 0;
        for (let j = 0; j < width; j++) v += q[t * width + j] * k[s * width + j];
        logits[s] = v * scale;
      }
      softmaxInPlace(logits).forEach((a, s) => (attention[s] += a / n));
    }
    const u = new Float32Array(dim);
    for (let s = 0; s < n; s++) for (let j = 0; j < dim; j++) u[j] += attention[s] * h[s * dim + j];
    const r = matMulRows(matMulRows(u, 1, dim, head.wv, width), 1, width, head.wo, dim);
    for (let j = 0; j < dim; j++) {
      let mean = 0;
      for (let t = 0; t < n; t++) mean += x[t * dim + j];
      out[c * dim + j] = mean / n + r[j];
    }
  }
  return l2NormalizeRows(out, dim);
}
