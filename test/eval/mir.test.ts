import { describe, expect, it } from 'vitest';
import { matrix } from '../../src/util/matrix.js';
import { mirMetrics } from '../../src/eval/metrics/mir.js';
import { DescendingOrder } from '../../src/eval/metrics/order.js';

const m32 = (rows: number[][]) => matrix(Float32Array.from(rows.flat()), rows.length, rows[0].length);
const m64 = (rows: number[][]) => matrix(Float64Array.from(rows.flat()), rows.length, rows[0].length);

describe('EPIC-KITCHENS-100 MIR metrics', () => {
  const S = [[1, 0.7, 0.4, 0], [0.3, 0.9, 0.6, 0.1], [0.2, 0.5, 0.8, 0.4]];
  const R = [[1, 0.5, 0.25, 0], [0, 1, 0.4, 0], [0.5, 0.3, 1, 0]];

  it('reproduces the official fixture: video→text nDCG 0.9371789900735429, mAP 1.0, text→video NaN', () => {
    for (const [make, digits] of [[m64, 12], [m32, 6]] as const) {
      const r = mirMetrics(make(S), make(R));
      expect(r.nDCG.v2t.value).toBeCloseTo(0.9371789900735429, digits);
      expect(r.mAP.v2t.value).toBe(1);
      expect(r.nDCG.t2v.value).toBeNaN();
      expect(r.mAP.t2v.value).toBeNaN();
      expect(r.mAP.avg).toBeNaN();
    }
  });

  it('reports the mean over valid rows and their count beside the published NaN, with a warning', () => {
    const r = mirMetrics(m64(S), m64(R));
    expect(r.mAP.t2v).toMatchObject({ invalidRows: 1, rows: 4 });
    expect(r.nDCG.t2v).toMatchObject({ invalidRows: 1, rows: 4 });
    expect(r.mAP.t2v.validMean).toBeGreaterThan(0);
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toMatch(/mAP text→video: 1 of 4 rows have no relevancy-1 entry/);
  });

  it('counts partial relevancies in precision but not as hits: [0.5, 1.0] gives AP 0.75', () => {
    const r = mirMetrics(m64([[0.9, 0.8]]), m64([[0.5, 1.0]]));
    expect(r.mAP.v2t.value).toBe(0.75);
  });

  it('truncates nDCG at the number of nonzero relevancies', () => {
    // k = 1: only the top candidate counts; it has relevancy 0 → nDCG 0.
    expect(mirMetrics(m64([[0.9, 0.1, 0.5]]), m64([[0, 1, 0]])).nDCG.v2t.value).toBe(0);
    // Ideal order → 1.
    expect(mirMetrics(m64([[0.1, 0.9, 0.5]]), m64([[0, 1, 0.5]])).nDCG.v2t.value).toBeCloseTo(1, 12);
  });

  it('orders tied similarities by lower index first, in both metrics', () => {
    const r = mirMetrics(m32([[0.5, 0.5]]), m32([[0, 1]]));
    // Index 0 (relevancy 0) comes first: the hit is at rank 2, and nDCG's top-1 holds nothing.
    expect(r.mAP.v2t.value).toBe(0.5);
    expect(r.nDCG.v2t.value).toBe(0);
  });

  it('works with one candidate', () => {
    expect(mirMetrics(m64([[0.3]]), m64([[1]])).mAP.avg).toBe(1);
  });

  it('refuses mismatched shapes, non-finite similarities and relevancies outside [0, 1]', () => {
    expect(() => mirMetrics(m64([[1, 2]]), m64([[1], [0]]))).toThrow(/similarity is 1×2 but relevancy is 2×1/);
    expect(() => mirMetrics(m64([[1, Infinity]]), m64([[1, 0]]))).toThrow(/non-finite value Infinity/);
    expect(() => mirMetrics(m64([[1, 0]]), m64([[1, 1.5]]))).toThrow(/relevancy 1.5 at row 0, column 1 is outside \[0, 1\]/);
  });
});

describe('DescendingOrder', () => {
  it('agrees with a stable comparator sort for float32 and float64 rows, negatives and ties included', () => {
    const values = [0.5, -0.25, 0.5, 3, -0, 0, -7.5, 3, 1e-30, -1e-30];
    const expected = values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => i);
    const order = new DescendingOrder(values.length);
    expect(Array.from(order.compute(Float32Array.from(values)))).toEqual(expected);
    expect(Array.from(order.compute(Float64Array.from(values)))).toEqual(expected);
  });

  it('agrees with a stable comparator sort on random rows with outliers, heavy ties and collapsed ranges', () => {
    let seed = 42;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
    const kinds = [
      (n: number) => Array.from({ length: n }, () => rand() - 0.5),
      (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 1e30 : rand() * 1e-3)), // an outlier squeezes the rest into one key
      (n: number) => Array.from({ length: n }, () => Math.round(rand() * 4) / 4), // five levels: long tied runs
      (n: number) => Array.from({ length: n }, () => 0.25), // all equal
    ];
    for (const make of kinds) {
      for (const n of [1, 2, 7, 100, 1000]) {
        const values = make(n);
        const expected = values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => i);
        const order = new DescendingOrder(n);
        expect(Array.from(order.compute(Float64Array.from(values)))).toEqual(expected);
        const f32 = Float32Array.from(values);
        const expected32 = Array.from(f32, (v, i) => [v, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => i);
        expect(Array.from(order.compute(f32))).toEqual(expected32);
      }
    }
  });
});
