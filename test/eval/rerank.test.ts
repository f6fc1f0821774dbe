import { describe, expect, it } from 'vitest';
import { mirMetrics } from '../../src/eval/metrics/mir.js';
import { mixMir, rerankRows } from '../../src/eval/rerank.js';

function order(row: ArrayLike<number>): number[] {
  return Array.from(row, (_, i) => i).sort((a, b) => row[b] - row[a]);
}

describe('rerankRows', () => {
  it("re-scores only each row's top k and keeps them above the rest, which keep their order", () => {
    // Row 0 first-stage order: 3, 1, 4, 0, 2. The reranker reverses whatever it sees.
    const sim = { data: Float32Array.from([0.2, 0.8, 0.1, 0.9, 0.5, 0.3, 0.1, 0.2, 0.4, 0.6]), rows: 2, cols: 5 };
    const seen: Array<[number, number]> = [];
    const out = rerankRows(sim, 3, (row, col, s0) => {
      seen.push([row, col]);
      return -s0;
    });
    expect(seen.filter(([r]) => r === 0).map(([, c]) => c).sort()).toEqual([1, 3, 4]);
    expect(order(out.data.subarray(0, 5))).toEqual([4, 1, 3, 0, 2]);
    // Row 1 first-stage order: 4, 3, 0, 2, 1 → top 3 reversed, then 2, 1.
    expect(order(out.data.subarray(5))).toEqual([0, 3, 4, 2, 1]);
    expect(sim.data[0]).toBeCloseTo(0.2);
  });

  it('with k ≥ columns re-scores everything, with scores kept as the reranker gave them', () => {
    const sim = { data: Float32Array.from([0.1, 0.2, 0.3]), rows: 1, cols: 3 };
    const out = rerankRows(sim, 10, (_, col) => col === 0 ? 5 : 1 - col);
    expect(Array.from(out.data)).toEqual([5, 0, -1]);
  });
});

describe('mixMir', () => {
  it("keeps each direction's warnings from the ranking it takes that direction from", () => {
    // Column 2 has no relevancy-1 entry: text→video mAP is NaN (published) on both inputs.
    const sim = { data: Float32Array.from([0.9, 0.1, 0.3, 0.2, 0.8, 0.4]), rows: 2, cols: 3 };
    const rel = { data: Float32Array.from([1, 0, 0.5, 0, 1, 0]), rows: 2, cols: 3 };
    const m = mirMetrics(sim, rel);
    expect(m.warnings.some((w) => w.startsWith('mAP text→video'))).toBe(true);
    const mixed = mixMir(m, m);
    expect(mixed.warnings).toEqual(m.warnings.filter((w) => w.includes('text→video') || w.includes('video→text')));
    expect(mixed.warnings.some((w) => w.startsWith('mAP text→video'))).toBe(true);
    expect(mixed.mAP.t2v.value).toBeNaN();
  });
});
