import { cosine, layerNorm, matMulRows, positionRow, softmaxInPlace } from '../math.js';
import type { HeadSpec, HeadWeights, TensorSpec } from '../spec.js';

/**
 * The cross-modal refinement reranker (REFERENCES §6, ContextRefine-CLIP idea), search-time form:
 * it re-scores (text, clip) pairs that a first-stage search proposed.
 *
 * Both sides are first projected to a narrow refinement width `r` (the clip's frames plus a learned
 * temporal position embedding). Text branch: the text token cross-attends to the clip's frame tokens
 * (multi-head), residual + LayerNorm, then a gated feed-forward block `(x W₁ ⊙ σ(x W₂)) W₃` with
 * residual + LayerNorm. Video branch, symmetric: each frame token attends to the text — with a single
 * text token the attention weight is 1, so it receives the projected text value — then the same
 * residual + LayerNorm and gated feed-forward, and the frames are mean-pooled. The pair's score is
 * `s₀ + β · cos(text', video')`, with s₀ the first stage's score and β learned from zero, so an
 * untrained reranker keeps the first stage's order.
 *
 * Matrices are row-major `in × out` (`x · W`). `reranker-tf.ts` is the same function in tfjs, for training.
 */
export interface RerankerShape {
  dim: number;
  steps: number;
  width: number;
  heads: number;
  hidden: number;
}

/**
 * Every tensor, in file order (the order folders from before the one format stored them in too).
 * Initialisation: input projections at unit scale, position embedding at 0.1, W₃ at 1/√hidden, the
 * other matrices at 1/√width, LayerNorm gains at one, biases and β at zero.
 */
export function rerankerSpec(s: RerankerShape): HeadSpec {
  const { dim, steps, width: r, hidden: h } = s;
  const m = (name: string, rows: number, cols: number, std = 1 / Math.sqrt(r)): TensorSpec => ({ name, shape: [rows, cols], init: { normal: std }, decay: true });
  const ffn = (p: string) => [m(`${p}.w1`, r, h), m(`${p}.w2`, r, h), m(`${p}.w3`, h, r, 1 / Math.sqrt(h))];
  const ln = (p: string): TensorSpec[] => [{ name: `${p}.g`, shape: [r], init: 'ones' }, { name: `${p}.b`, shape: [r], init: 'zeros' }];
  return [
    m('textIn', dim, r, 1), m('videoIn', dim, r, 1), { name: 'pos', shape: [steps, r], init: { normal: 0.1 } },
    m('text.wq', r, r), m('text.wk', r, r), m('text.wv', r, r), m('text.wo', r, r), ...ln('text.ln1'), ...ffn('text.ffn'), ...ln('text.ln2'),
    m('video.wv', r, r), m('video.wo', r, r), ...ln('video.ln1'), ...ffn('video.ffn'), ...ln('video.ln2'),
    { name: 'beta', shape: [1], init: 'zeros' },
  ];
}

export type RerankerWeights = HeadWeights;

/** `LN(x + (x W₁ ⊙ σ(x W₂)) W₃)` on each row. */
function gatedBlock(x: Float32Array, rows: number, w: RerankerWeights, p: string, s: RerankerShape): Float32Array {
  const a = matMulRows(x, rows, s.width, w[`${p}.ffn.w1`], s.hidden);
  const gate = matMulRows(x, rows, s.width, w[`${p}.ffn.w2`], s.hidden);
  for (let i = 0; i < a.length; i++) a[i] *= 1 / (1 + Math.exp(-gate[i]));
  const y = matMulRows(a, rows, s.hidden, w[`${p}.ffn.w3`], s.width);
  for (let i = 0; i < y.length; i++) y[i] += x[i];
  return layerNorm(y, rows, s.width, w[`${p}.ln2.g`], w[`${p}.ln2.b`]);
}

/** A query's text side, computed once and reused for every candidate. */
export interface PreparedText {
  token: Float32Array;
  query: Float32Array;
  /** What every frame token receives in the video branch. */
  toFrames: Float32Array;
}

/** A candidate's frame tokens, computed once and reused for every query. */
export interface PreparedVideo {
  tokens: Float32Array;
  keys: Float32Array;
  values: Float32Array;
  frames: number;
}

export class Reranker {
  constructor(
    readonly shape: RerankerShape,
    readonly weights: RerankerWeights,
  ) {}

  prepareText(text: Float32Array): PreparedText {
    const { dim, width } = this.shape;
    const token = matMulRows(text, 1, dim, this.weights.textIn, width);
    return {
      token,
      query: matMulRows(token, 1, width, this.weights['text.wq'], width),
      toFrames: matMulRows(matMulRows(token, 1, width, this.weights['video.wv'], width), 1, width, this.weights['video.wo'], width),
    };
  }

  /** `frames`: the clip's `n × dim` frame embeddings (positions map proportionally when n ≠ steps). */
  prepareVideo(frames: Float32Array): PreparedVideo {
    const { dim, width, steps } = this.shape;
    const n = frames.length / dim;
    const tokens = matMulRows(frames, n, dim, this.weights.videoIn, width);
    for (let t = 0; t < n; t++) {
      const p = positionRow(t, n, steps) * width;
      for (let j = 0; j < width; j++) tokens[t * width + j] += this.weights.pos[p + j];
    }
    return { tokens, keys: matMulRows(tokens, n, width, this.weights['text.wk'], width), values: matMulRows(tokens, n, width, this.weights['text.wv'], width), frames: n };
  }

  /** The refined score of one pair, given the first stage's score `s0`. */
  score(text: PreparedText, video: PreparedVideo, s0: number): number {
    const { width, heads } = this.shape;
    const w = this.weights;
    const n = video.frames;
    const dh = width / heads;
    const attended = new Float32Array(width);
    for (let h = 0; h < heads; h++) {
      const logits = new Float64Array(n);
      for (let t = 0; t < n; t++) {
        let v = 0;
        for (let j = h * dh; j < (h + 1) * dh; j++) v += text.query[j] * video.keys[t * width + j];
        logits[t] = v / Math.sqrt(dh);
      }
      softmaxInPlace(logits).forEach((a, t) => {
        for (let j = h * dh; j < (h + 1) * dh; j++) attended[j] += a * video.values[t * width + j];
      });
    }
    const t1 = matMulRows(attended, 1, width, w['text.wo'], width);
    for (let j = 0; j < width; j++) t1[j] += text.token[j];
    const refinedText = gatedBlock(layerNorm(t1, 1, width, w['text.ln1.g'], w['text.ln1.b']), 1, w, 'text', this.shape);

    const v1 = Float32Array.from(video.tokens, (x, i) => x + text.toFrames[i % width]);
    const v2 = gatedBlock(layerNorm(v1, n, width, w['video.ln1.g'], w['video.ln1.b']), n, w, 'video', this.shape);
    const pooled = new Float32Array(width);
    for (let t = 0; t < n; t++) for (let j = 0; j < width; j++) pooled[j] += v2[t * width + j] / n;
    return s0 + w.beta[0] * cosine(refinedText, pooled);
  }
}
