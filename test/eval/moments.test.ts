import { describe, expect, it } from 'vitest';
import { MAP_IOUS, momentMetrics, predictionIoU, queryAp, temporalIoU, type MomentPrediction, type MomentTruth } from '../../src/eval/metrics/moments.js';

const p = (start: number, end: number, score: number, video = 'v'): MomentPrediction => ({ video, start, end, score });
const truth = (...windows: Array<[number, number]>): MomentTruth => ({ video: 'v', windows });

describe('temporal IoU', () => {
  it('is intersection over union of two spans', () => {
    expect(temporalIoU([0, 10], [5, 15])).toBeCloseTo(1 / 3, 12);
    expect(temporalIoU([2, 4], [0, 10])).toBeCloseTo(0.2, 12);
    expect(temporalIoU([0, 10], [0, 10])).toBe(1);
    expect(temporalIoU([0, 5], [5, 9])).toBe(0);
    expect(temporalIoU([0, 5], [7, 9])).toBe(0);
  });

  it('takes the best window, and 0 in another video unless the scope is one video', () => {
    expect(predictionIoU(p(10, 20, 1), truth([0, 5], [12, 20]), 'corpus')).toBeCloseTo(0.8, 12);
    expect(predictionIoU(p(12, 20, 1, 'w'), truth([12, 20]), 'corpus')).toBe(0);
    expect(predictionIoU(p(12, 20, 1, 'w'), truth([12, 20]), 'video')).toBe(1);
  });
});

describe('R@K at tIoU ≥ m and mIoU', () => {
  const items = [
    { truth: truth([0, 10]), predictions: [p(0, 8, 0.9)] }, // top-1 tIoU 0.8
    { truth: truth([0, 10]), predictions: [p(0, 4, 0.9), p(0, 6, 0.8)] }, // top-1 0.4, second 0.6
  ];

  it('counts a query when one of its top K spans reaches the threshold', () => {
    const m = momentMetrics(items, 'corpus');
    expect(m.recall['1']).toEqual({ '0.3': 100, '0.5': 50, '0.7': 50 });
    expect(m.recall['5']).toEqual({ '0.3': 100, '0.5': 100, '0.7': 50 });
    expect(m.mIoU).toBeCloseTo(60, 10);
    expect(m.n).toBe(2);
  });

  it('ranks by score, not by the order given', () => {
    const m = momentMetrics([{ truth: truth([0, 10]), predictions: [p(0, 4, 0.1), p(0, 10, 0.9)] }], 'corpus');
    expect(m.recall['1']['0.7']).toBe(100);
    expect(m.mIoU).toBe(100);
  });

  it('counts a span exactly on a threshold as reaching it', () => {
    const m = momentMetrics([{ truth: truth([0, 10]), predictions: [p(0, 5, 1)] }], 'corpus');
    expect(m.recall['1']).toEqual({ '0.3': 100, '0.5': 100, '0.7': 0 });
  });

  it('scores a query without predictions 0 and says how many there were', () => {
    const m = momentMetrics([{ truth: truth([0, 10]), predictions: [p(0, 10, 1)] }, { truth: truth([0, 10]), predictions: [] }], 'corpus');
    expect(m.recall['10']['0.3']).toBe(50);
    expect(m.mIoU).toBe(50);
    expect(m.mAP).toBe(50);
    expect(m.empty).toBe(1);
  });

  it('gives a prediction in the wrong video nothing in corpus scope', () => {
    const items = [{ truth: truth([0, 10]), predictions: [p(0, 10, 1, 'other')] }];
    expect(momentMetrics(items, 'corpus').recall['1']['0.3']).toBe(0);
    expect(momentMetrics(items, 'video').recall['1']['0.3']).toBe(100);
    expect(momentMetrics(items, 'corpus').mAP).toBe(0);
  });
});

describe('QVHighlights mAP', () => {
  it('thresholds are 0.5:0.05:0.95', () => {
    expect(MAP_IOUS).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
  });

  it('a matched window cannot be matched again: the later, better span is a false positive', () => {
    // Score order: [0,6] (tIoU 0.6) then [0,10] (tIoU 1). At m ≤ 0.6 the first matches and the second
    // finds its window taken: precision [1, 0.5], recall [1, 1] → AP 1. Above 0.6: [0, 0.5], [0, 1] → 0.5.
    const ap = queryAp(truth([0, 10]), [p(0, 6, 0.9), p(0, 10, 0.5)], 'corpus');
    expect(ap).toEqual([1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(momentMetrics([{ truth: truth([0, 10]), predictions: [p(0, 6, 0.9), p(0, 10, 0.5)] }], 'corpus').mAP).toBeCloseTo(65, 10);
  });

  it('recall is over the query’s windows: two spans on one of two windows give AP 0.5', () => {
    expect(queryAp(truth([0, 10], [20, 30]), [p(0, 10, 0.9), p(20, 30, 0.8)], 'corpus')).toEqual(MAP_IOUS.map(() => 1));
    expect(queryAp(truth([0, 10], [20, 30]), [p(0, 10, 0.9), p(0, 10, 0.8)], 'corpus')).toEqual(MAP_IOUS.map(() => 0.5));
  });

  it('takes only the top 10 spans', () => {
    const misses = Array.from({ length: 10 }, (_, i) => p(100 + i, 101 + i, 1 - i / 100));
    expect(queryAp(truth([0, 10]), [...misses, p(0, 10, 0.5)], 'corpus')).toEqual(MAP_IOUS.map(() => 0));
    expect(queryAp(truth([0, 10]), [...misses.slice(0, 9), p(0, 10, 0.5)], 'corpus')[0]).toBeCloseTo(0.1, 12);
  });
});
