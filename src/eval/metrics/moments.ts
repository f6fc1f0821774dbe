/**
 * Moment retrieval metrics (REFERENCES §8): temporal IoU; R@K at tIoU ≥ m (Charades-STA /
 * QVHighlights; TVR's corpus convention when predictions carry their video); mIoU of the top-1
 * span; QVHighlights' mAP over tIoU 0.5:0.05:0.95. Pure functions, percentages out.
 */

export type Span = readonly [start: number, end: number];

export interface MomentTruth {
  video: string;
  /** One or more ground-truth windows of the query in `video`. */
  windows: Span[];
}

export interface MomentPrediction {
  video: string;
  start: number;
  end: number;
  score: number;
}

/** `corpus`: a prediction counts only in the query's video (TVR); `video`: its video is ignored. */
export type MomentScope = 'corpus' | 'video';

export const RECALL_KS = [1, 5, 10] as const;
export const RECALL_IOUS = [0.3, 0.5, 0.7] as const;
/** QVHighlights' mAP thresholds, 0.5:0.05:0.95 (computed from integers so they are exact decimals). */
export const MAP_IOUS = Array.from({ length: 10 }, (_, i) => (50 + 5 * i) / 100);
/** QVHighlights scores the top 10 predicted windows of each query. */
export const MAP_MAX_PREDICTIONS = 10;

export interface MomentMetrics {
  /** `recall[K][m]`: % of queries with a top-K span at tIoU ≥ m. */
  recall: Record<string, Record<string, number>>;
  mIoU: number;
  mAP: number;
  /** mAP at each threshold. */
  mAPByIoU: Record<string, number>;
  n: number;
  /** Queries without any prediction (they score 0 everywhere, and are counted in `n`). */
  empty: number;
}

export function temporalIoU(a: Span, b: Span): number {
  const inter = Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
  const union = a[1] - a[0] + (b[1] - b[0]) - inter;
  return union > 0 ? inter / union : 0;
}

/** A prediction's tIoU against a query's truth: its best over the windows, 0 in another video (corpus scope). */
export function predictionIoU(p: MomentPrediction, truth: MomentTruth, scope: MomentScope): number {
  if (scope === 'corpus' && p.video !== truth.video) return 0;
  return Math.max(0, ...truth.windows.map((w) => temporalIoU([p.start, p.end], w)));
}

/** Predictions best first; equal scores keep their given order (a stable sort, as Python's). */
const ranked = (predictions: MomentPrediction[]) => [...predictions].sort((a, b) => b.score - a.score);

/** ActivityNet's interpolated AP: precision made non-increasing from the end, summed over recall steps. */
function interpolatedAp(precision: number[], recall: number[]): number {
  const mprec = [0, ...precision, 0];
  const mrec = [0, ...recall, 1];
  for (let i = mprec.length - 2; i >= 0; i--) mprec[i] = Math.max(mprec[i], mprec[i + 1]);
  let ap = 0;
  for (let i = 1; i < mrec.length; i++) if (mrec[i] !== mrec[i - 1]) ap += (mrec[i] - mrec[i - 1]) * mprec[i];
  return ap;
}

/**
 * One query's AP at each threshold (QVHighlights `compute_average_precision_detection` on its top
 * 10 spans): each span, in score order, matches the unmatched window of highest tIoU if that reaches
 * the threshold (true positive), else is a false positive.
 */
export function queryAp(truth: MomentTruth, predictions: MomentPrediction[], scope: MomentScope, thresholds: readonly number[] = MAP_IOUS): number[] {
  const preds = ranked(predictions).slice(0, MAP_MAX_PREDICTIONS);
  if (preds.length === 0) return thresholds.map(() => 0);
  return thresholds.map((threshold) => {
    const locked = new Set<number>();
    let tp = 0;
    let fp = 0;
    const precision: number[] = [];
    const recall: number[] = [];
    for (const p of preds) {
      const inVideo = scope === 'video' || p.video === truth.video;
      // Windows by tIoU, best first: the first unmatched one at or above the threshold is matched.
      const ious = truth.windows.map((w, j) => ({ j, iou: temporalIoU([p.start, p.end], w) })).sort((a, b) => b.iou - a.iou);
      const match = inVideo ? ious.find((c) => c.iou >= threshold && !locked.has(c.j)) : undefined;
      if (match) {
        locked.add(match.j);
        tp++;
      } else fp++;
      precision.push(tp / (tp + fp));
      recall.push(tp / truth.windows.length);
    }
    return interpolatedAp(precision, recall);
  });
}

const pct = (count: number, n: number) => (n ? (100 * count) / n : 0);

/** The metrics over all queries: `items[i]` is query i's truth and its ranked predictions. */
export function momentMetrics(items: Array<{ truth: MomentTruth; predictions: MomentPrediction[] }>, scope: MomentScope): MomentMetrics {
  const n = items.length;
  const recall: MomentMetrics['recall'] = {};
  for (const k of RECALL_KS) {
    recall[k] = {};
    for (const m of RECALL_IOUS) {
      const hits = items.filter(({ truth, predictions }) => ranked(predictions).slice(0, k).some((p) => predictionIoU(p, truth, scope) >= m)).length;
      recall[k][m] = pct(hits, n);
    }
  }
  const top1 = items.map(({ truth, predictions }) => {
    const best = ranked(predictions)[0];
    return best ? predictionIoU(best, truth, scope) : 0;
  });
  const aps = items.map(({ truth, predictions }) => queryAp(truth, predictions, scope));
  const mAPByIoU: Record<string, number> = {};
  MAP_IOUS.forEach((m, t) => {
    mAPByIoU[m] = n ? (100 * aps.reduce((s, ap) => s + ap[t], 0)) / n : 0;
  });
  const byIoU = Object.values(mAPByIoU);
  return {
    recall,
    mIoU: n ? (100 * top1.reduce((a, b) => a + b, 0)) / n : 0,
    mAP: byIoU.reduce((a, b) => a + b, 0) / byIoU.length,
    mAPByIoU,
    n,
    empty: items.filter((i) => i.predictions.length === 0).length,
  };
}
