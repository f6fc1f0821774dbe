import { firstNonFinite, type Matrix } from '../../util/matrix.js';
import { DescendingOrder } from './order.js';

export interface ClassificationMetrics {
  /** Top-1 accuracy, percent. */
  acc1: number;
  /** Top-5 accuracy, percent; null (undefined) with fewer than 5 classes. */
  acc5: number | null;
  /** Balanced accuracy: mean over the classes present in the ground truth of their recall, percent. */
  mean_per_class_recall: number;
  n: number;
}

/**
 * Zero-shot or probe classification metrics from logits (samples × classes) and integer labels.
 * Ties in the logits are broken by lower class index first.
 */
export function classificationMetrics(logits: Matrix, labels: ArrayLike<number>): ClassificationMetrics {
  const { rows, cols, data } = logits;
  if (labels.length !== rows) throw new RangeError(`${labels.length} labels for ${rows} samples`);
  const bad = firstNonFinite(logits);
  if (bad) throw new RangeError(`logits have a non-finite value ${bad.value} at row ${bad.row}, column ${bad.col}`);
  const order = new DescendingOrder(cols);
  let top1 = 0;
  let top5 = 0;
  const perClass = new Map<number, { hit: number; total: number }>();
  for (let i = 0; i < rows; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= cols) throw new RangeError(`label ${y} of sample ${i} is outside 0..${cols - 1}`);
    const o = order.compute(data, i * cols);
    const hit1 = o[0] === y;
    if (hit1) top1++;
    for (let r = 0; r < Math.min(5, cols); r++) if (o[r] === y) top5++;
    const c = perClass.get(y) ?? { hit: 0, total: 0 };
    c.total++;
    if (hit1) c.hit++;
    perClass.set(y, c);
  }
  let recall = 0;
  for (const c of perClass.values()) recall += c.hit / c.total;
  return {
    acc1: (100 * top1) / rows,
    acc5: cols >= 5 ? (100 * top5) / rows : null,
    mean_per_class_recall: (100 * recall) / perClass.size,
    n: rows,
  };
}

/**
 * Average precision with scikit-learn's `average_precision_score` semantics: step-wise
 * Σ (R_n − R_{n−1}) P_n over distinct score thresholds (tied scores form one threshold).
 * A class without positives scores 0 (it stays in any mean).
 */
export function sklearnAveragePrecision(scores: ArrayLike<number>, positives: ArrayLike<boolean | number>): number {
  const n = scores.length;
  let totalPos = 0;
  for (let i = 0; i < n; i++) if (positives[i]) totalPos++;
  if (totalPos === 0) return 0;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let k = 0; k < n; ) {
    const threshold = scores[idx[k]];
    while (k < n && scores[idx[k]] === threshold) {
      if (positives[idx[k]]) tp++;
      else fp++;
      k++;
    }
    const recall = tp / totalPos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return ap;
}

/**
 * Multi-label mAP (behaviour classification): the mean over classes of `sklearnAveragePrecision`,
 * optionally skipping one class (e.g. background). `scores` and `targets` are samples × classes.
 */
export function multiLabelMap(scores: Matrix, targets: Matrix, options: { skipClass?: number } = {}): { mAP: number; perClass: number[] } {
  if (scores.rows !== targets.rows || scores.cols !== targets.cols) {
    throw new RangeError(`scores are ${scores.rows}×${scores.cols} but targets are ${targets.rows}×${targets.cols}`);
  }
  const perClass: number[] = [];
  for (let c = 0; c < scores.cols; c++) {
    const s = new Float64Array(scores.rows);
    const t = new Uint8Array(scores.rows);
    for (let i = 0; i < scores.rows; i++) {
      s[i] = scores.data[i * scores.cols + c];
      t[i] = targets.data[i * targets.cols + c] > 0 ? 1 : 0;
    }
    perClass.push(sklearnAveragePrecision(s, t));
  }
  const kept = perClass.filter((_, c) => c !== options.skipClass);
  return { mAP: kept.reduce((a, b) => a + b, 0) / kept.length, perClass };
}

/** Multi-label (behaviour) classification scored as SciVid scores FlyVsFly / CalMS21, in percent. */
export interface MultiLabelMetrics {
  /** Mean over classes (the background class left out) of scikit-learn's average precision. */
  mAP: number;
  /** Each class's AP, the background's included. */
  per_class_ap: Record<string, number>;
  /** The label-frequency control: a constant score per class, whose AP is the class's share of the clips. */
  control_mAP: number;
  background: string | null;
  n: number;
}

/**
 * mAP of `scores` (clips × classes) against multi-hot `targets`, with the control beside it. A class
 * with no positive clip scores 0 and stays in the mean (scikit-learn's convention, as SciVid uses it).
 */
export function multiLabelMetrics(scores: Matrix, targets: Matrix, classes: string[], background?: string): MultiLabelMetrics {
  if (classes.length !== scores.cols) throw new RangeError(`${classes.length} class names for ${scores.cols} score columns`);
  const skip = background === undefined ? undefined : classes.indexOf(background);
  if (skip === -1) throw new RangeError(`the background class ${background} is not one of the classes (${classes.join(', ')})`);
  const model = multiLabelMap(scores, targets, { skipClass: skip });
  const control = multiLabelMap({ data: new Float32Array(scores.data.length), rows: scores.rows, cols: scores.cols }, targets, { skipClass: skip });
  return {
    mAP: 100 * model.mAP,
    per_class_ap: Object.fromEntries(classes.map((c, i) => [c, 100 * model.perClass[i]])),
    control_mAP: 100 * control.mAP,
    background: background ?? null,
    n: scores.rows,
  };
}
