import { describe, expect, it } from 'vitest';
import { hitsAtExactKth } from '../../src/eval/metrics/ann-recall.js';

const hits = (...scores: number[]) => scores.map((score) => ({ score }));

describe('ANN recall against the exact k-th score', () => {
  it('counts a hit tied with the exact k-th as found, and one below it as missed', () => {
    const exact = hits(0.9, 0.8, 0.7);
    expect(hitsAtExactKth(hits(0.9, 0.8, 0.7), exact, 3)).toBe(3);
    // A row tied with the 3rd (an identical frame) in place of the exact one.
    expect(hitsAtExactKth(hits(0.9, 0.8, 0.7 - 5e-7), exact, 3)).toBe(3);
    expect(hitsAtExactKth(hits(0.9, 0.8, 0.6), exact, 3)).toBe(2);
    // Only the first k approximate hits count.
    expect(hitsAtExactKth(hits(0.9, 0.5, 0.4, 0.8), exact, 3)).toBe(1);
  });

  it('refuses an exact list shorter than k', () => {
    expect(() => hitsAtExactKth(hits(0.9), hits(0.9), 2)).toThrow('fewer than k = 2');
  });
});
