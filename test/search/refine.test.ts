import { describe, expect, it } from 'vitest';
import { refineSpan, type TimedFrame } from '../../src/search/refine.js';

const unit = (x: number) => Float32Array.from([Math.cos(x), Math.sin(x)]);

/** Frames every 0.5 s from 0.25 s; those in [from, to) point along the query, the rest away from it. */
function frames(count: number, from: number, to: number): TimedFrame[] {
  return Array.from({ length: count }, (_, i) => {
    const time = 0.25 + 0.5 * i;
    return { time, vector: time >= from && time < to ? unit(0.05 * (i % 3)) : unit(1.4) };
  });
}

describe('refineSpan', () => {
  const query = unit(0);

  it('fits a window to the frames that match, each covering half the step either side', () => {
    // Windows 4–8 s and 8–12 s were retrieved; the query matches 5.5–9 s.
    expect(refineSpan(query, frames(32, 5.5, 9), { start: 4, end: 12 })).toEqual({ start: 5.5, end: 9 });
  });

  it('stretches into a neighbouring window when the match runs on', () => {
    expect(refineSpan(query, frames(32, 2, 7), { start: 4, end: 8 })).toEqual({ start: 2, end: 7 });
  });

  it('keeps the span when no frame lies inside it, or when the frames hardly differ', () => {
    expect(refineSpan(query, frames(4, 0, 2), { start: 10, end: 14 })).toEqual({ start: 10, end: 14 });
    expect(refineSpan(query, frames(8, 0, 99), { start: 1, end: 3 })).toEqual({ start: 1, end: 3 });
  });

  it('clamps to the video’s duration', () => {
    expect(refineSpan(query, frames(10, 0, 4), { start: 0, end: 4 }, { duration: 3.9 })).toEqual({ start: 0, end: 3.9 });
  });
});
