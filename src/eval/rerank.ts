import type { OnProgress } from '../core/events.js';
import type { PreparedText, PreparedVideo, Reranker } from '../heads/reranker/reranker.js';
import { transpose, type Matrix } from '../util/matrix.js';
import { DIRECTION_NAMES, type MirMetrics } from './metrics/mir.js';
import type { RetrievalMetrics } from './metrics/retrieval.js';

/** Results a reranker re-scores per query in evaluation (and in the reranker's validation). */
export const EVAL_RERANK_K = 20;

/**
 * Re-scores each row's top `k` columns (by first-stage score) with `score(row, col, s0)` and places
 * them above the row's other columns, which keep their first-stage order. Every metric vidlens
 * reports is rank-based, so shifting the other columns down changes nothing but their place.
 */
export function rerankRows(sim: Matrix, k: number, score: (row: number, col: number, s0: number) => number): Matrix {
  const { rows, cols } = sim;
  const out = new Float32Array(sim.data);
  const top = Math.min(k, cols);
  for (let r = 0; r < rows; r++) {
    const row = sim.data.subarray(r * cols, (r + 1) * cols);
    const order = Array.from({ length: cols }, (_, c) => c).sort((a, b) => row[b] - row[a]);
    let minTop = Infinity;
    for (const c of order.slice(0, top)) minTop = Math.min(minTop, (out[r * cols + c] = score(r, c, row[c])));
    const rest = order.slice(top);
    const maxRest = rest.length ? row[rest[0]] : -Infinity;
    if (maxRest >= minTop) for (const c of rest) out[r * cols + c] -= maxRest - minTop + 1;
  }
  return { data: out, rows, cols };
}

/**
 * Both directions reranked: text→video re-scores each caption's top-k clips, video→text each clip's
 * top-k captions. Returns two captions × clips matrices; read text→video metrics from the first and
 * video→text metrics from the second.
 */
export function rerankBothWays(
  sim: Matrix,
  reranker: Reranker,
  text: Float32Array,
  frames: Float32Array,
  k: number,
  onProgress?: OnProgress,
): { t2v: Matrix; v2t: Matrix } {
  const { dim } = reranker.shape;
  const perClip = frames.length / sim.cols;
  const texts = new Map<number, PreparedText>();
  const videos = new Map<number, PreparedVideo>();
  const t = (j: number) => texts.get(j) ?? texts.set(j, reranker.prepareText(text.subarray(j * dim, (j + 1) * dim))).get(j)!;
  const v = (c: number) => videos.get(c) ?? videos.set(c, reranker.prepareVideo(frames.subarray(c * perClip, (c + 1) * perClip))).get(c)!;
  const total = sim.rows + sim.cols;
  let done = 0;
  const t2v = rerankRows(sim, k, (row, col, s0) => reranker.score(t(row), v(col), s0));
  onProgress?.({ task: 'reranking', done: (done += sim.rows), total, unit: 'queries' });
  const byClip = rerankRows(transpose(sim), k, (row, col, s0) => reranker.score(t(col), v(row), s0));
  onProgress?.({ task: 'reranking', done: (done += sim.cols), total, unit: 'queries' });
  return { t2v, v2t: transpose(byClip) };
}

/** Text→video metrics from `a`, video→text from `b` (one ranking per direction, as after reranking both ways). */
export function mixRetrieval(a: RetrievalMetrics, b: RetrievalMetrics): RetrievalMetrics {
  return { t2v: a.t2v, v2t: b.v2t, ties: a.ties };
}

export function mixMir(a: MirMetrics, b: MirMetrics): MirMetrics {
  const mAP = { t2v: a.mAP.t2v, v2t: b.mAP.v2t, avg: (a.mAP.t2v.value + b.mAP.v2t.value) / 2 };
  const nDCG = { t2v: a.nDCG.t2v, v2t: b.nDCG.v2t, avg: (a.nDCG.t2v.value + b.nDCG.v2t.value) / 2 };
  return { mAP, nDCG, warnings: [...a.warnings.filter((w) => w.includes(DIRECTION_NAMES.t2v)), ...b.warnings.filter((w) => w.includes(DIRECTION_NAMES.v2t))] };
}
