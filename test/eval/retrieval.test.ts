import { describe, expect, it } from 'vitest';
import { matrix } from '../../src/util/matrix.js';
import { dualSoftmax, rankMetrics, retrievalMetrics } from '../../src/eval/metrics/retrieval.js';

const m = (rows: number[][]) => matrix(Float32Array.from(rows.flat()), rows.length, rows[0].length);

describe('retrieval metrics (MSR-VTT convention)', () => {
  it('ranks the diagonal in both directions', () => {
    const r = retrievalMetrics(m([[0.9, 0.1, 0.3], [0.8, 0.5, 0.2], [0.1, 0.2, 0.7]]));
    expect(r.t2v).toEqual({ R1: (100 * 2) / 3, R5: 100, R10: 100, MedR: 1, MnR: 4 / 3, n: 3 });
    expect(r.v2t).toMatchObject({ R1: 100, MedR: 1, MnR: 1, n: 3 });
    expect(r.ties).toBe('optimistic');
  });

  it('counts ties optimistically by default and as the block average on request', () => {
    const s = m([[0.5, 0.5], [0.2, 0.5]]);
    expect(retrievalMetrics(s).t2v.MnR).toBe(1);
    expect(retrievalMetrics(s, { ties: 'average' }).t2v.MnR).toBe(1.25);
    expect(retrievalMetrics(s, { ties: 'average' }).v2t.MnR).toBe(1.25);
  });

  it('takes the numpy median (mean of the two middle ranks) and percentages for R@K', () => {
    expect(rankMetrics([1, 2, 3, 40])).toEqual({ R1: 25, R5: 75, R10: 75, MedR: 2.5, MnR: 11.5, n: 4 });
  });

  it('handles several captions per video: best caption rank for video→text', () => {
    const r = retrievalMetrics(m([[0.2, 0.9], [0.8, 0.1], [0.3, 0.4]]), { captionVideo: [0, 0, 1] });
    expect(r.t2v.MnR).toBeCloseTo(4 / 3);
    expect(r.t2v.n).toBe(3);
    expect(r.v2t).toMatchObject({ MnR: 1.5, MedR: 1.5, n: 2, R1: 50 });
  });

  it('works for a single query and a single candidate', () => {
    expect(retrievalMetrics(m([[0.3]])).t2v).toMatchObject({ R1: 100, MedR: 1, MnR: 1, n: 1 });
  });

  it('refuses a non-square matrix with one caption per video, and non-finite scores', () => {
    expect(() => retrievalMetrics(m([[1, 2, 3], [4, 5, 6]]))).toThrow(/square matrix, got 2×3/);
    expect(() => retrievalMetrics(m([[1, NaN], [0, 1]]))).toThrow(/non-finite value NaN at row 0, column 1/);
    expect(() => retrievalMetrics(m([[1, 0], [Infinity, 1]]))).toThrow(/row 1, column 0/);
  });

  it('dual softmax re-weights each column by its softmax over queries, undoing a hub video', () => {
    // Video 0 scores high for every caption (a hub); raw ranking gets 1 of 3 right.
    const s = m([[0.9, 0.2, 0.1], [0.8, 0.7, 0.1], [0.85, 0.1, 0.8]]);
    const d = dualSoftmax(s, 0.1);
    const column0 = [9, 8, 8.5].map((x) => Math.exp(x));
    const softmax00 = column0[0] / (column0[0] + column0[1] + column0[2]);
    expect(d.data[0]).toBeCloseTo(0.9 * softmax00 * 3, 5);
    expect(retrievalMetrics(s).t2v.R1).toBeCloseTo(100 / 3);
    expect(retrievalMetrics(d).t2v.R1).toBe(100);
  });
});
