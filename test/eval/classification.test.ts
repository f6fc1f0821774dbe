import { describe, expect, it } from 'vitest';
import { classificationMetrics, multiLabelMap, multiLabelMetrics, sklearnAveragePrecision } from '../../src/eval/metrics/classification.js';
import { sweepRegularisation } from '../../src/train/sweep.js';
import { matrix } from '../../src/util/matrix.js';
import { transferMatrix } from '../../src/eval/metrics/slices.js';

const m = (rows: number[][]) => matrix(Float64Array.from(rows.flat()), rows.length, rows[0].length);

describe('classification metrics', () => {
  it('computes acc1, acc5 and mean per-class recall over classes present', () => {
    const logits = m([
      [9, 1, 2, 3, 4, 5], // label 0: top-1
      [3, 9, 2, 3, 4, 5], // label 2: rank 6 → miss in top-5
      [1, 2, 9, 8, 4, 5], // label 3: rank 2
      [1, 2, 3, 9, 4, 5], // label 3: top-1
    ]);
    const r = classificationMetrics(logits, [0, 2, 3, 3]);
    expect(r.acc1).toBe(50);
    expect(r.acc5).toBe(75);
    // Recalls: class 0 → 1, class 2 → 0, class 3 → 1/2: mean 0.5.
    expect(r.mean_per_class_recall).toBe(50);
  });

  it('leaves acc5 undefined (null) with fewer than five classes', () => {
    expect(classificationMetrics(m([[1, 0]]), [0]).acc5).toBeNull();
  });

  it('matches scikit-learn average_precision_score, including tied scores', () => {
    expect(sklearnAveragePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.8333333333, 9);
    expect(sklearnAveragePrecision([0.5, 0.5, 0.2], [1, 0, 1])).toBeCloseTo(0.5833333333, 9);
    expect(sklearnAveragePrecision([0.5, 0.2], [0, 0])).toBe(0);
  });

  it('averages per-class AP, keeping classes without positives at 0 and optionally skipping background', () => {
    const scores = m([[0.9, 0.1, 0.3], [0.2, 0.8, 0.6]]);
    const targets = m([[1, 0, 0], [0, 1, 0]]);
    expect(multiLabelMap(scores, targets).mAP).toBeCloseTo(2 / 3, 12);
    expect(multiLabelMap(scores, targets, { skipClass: 2 }).mAP).toBe(1);
  });

  it('reports multi-label mAP in percent beside the label-frequency control (each class scores its share of the clips)', () => {
    // 4 clips × 3 classes; class b is the background. a: positives at clips 0, 2 (scores put them 1st and 3rd).
    const scores = m([[0.9, 0.2, 0.1], [0.8, 0.7, 0.4], [0.3, 0.1, 0.9], [0.1, 0.6, 0.2]]);
    const targets = m([[1, 1, 0], [0, 1, 0], [1, 0, 1], [0, 0, 0]]);
    const r = multiLabelMetrics(scores, targets, ['a', 'b', 'c'], 'b');
    const apA = (1 / 2) * 1 + (1 / 2) * (2 / 3);
    expect(r.per_class_ap.a).toBeCloseTo(100 * apA, 10);
    expect(r.per_class_ap.b).toBeCloseTo(100 * apA, 10); // 0.7 (yes), 0.6 (no), 0.2 (yes): the same steps as a
    expect(r.per_class_ap.c).toBeCloseTo(100, 10);
    expect(r.mAP).toBeCloseTo((100 * (apA + 1)) / 2, 10);
    // Control: a constant score is one threshold, so AP = positives / clips: a 2/4, c 1/4 (b left out).
    expect(r.control_mAP).toBeCloseTo((100 * (2 / 4 + 1 / 4)) / 2, 10);
    expect(r).toMatchObject({ background: 'b', n: 4 });
    expect(() => multiLabelMetrics(scores, targets, ['a', 'b', 'c'], 'z')).toThrow(/background class z is not one of the classes \(a, b, c\)/);
  });

  it('sweeps regularisation two decades apart, then refines by halving in log space', async () => {
    const r = await sweepRegularisation((lambda) => -Math.abs(Math.log10(lambda) - 1.3));
    expect(Math.abs(Math.log10(r.best) - 1.3)).toBeLessThan(0.01);
    expect(r.tried.slice(0, 7).map((t) => Math.round(Math.log10(t.lambda)))).toEqual([-6, -4, -2, 0, 2, 4, 6]);
    expect(r.tried.length).toBeLessThanOrEqual(7 + 16);
  });

  it('builds a transfer matrix with zero-shot first and the in-domain gap', () => {
    const t = transferMatrix(['lab', 'night'], (train, test) => (train === null ? 10 : train === test ? 50 : 30));
    expect(t.rows).toEqual(['zero-shot', 'lab', 'night']);
    expect(t.values).toEqual([[10, 10], [50, 30], [30, 50]]);
    expect(t.gap).toEqual({ lab: 20, night: 20 });
  });
});
