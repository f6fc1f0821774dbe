import { describe, expect, it } from 'vitest';
import { planSegments } from '../../src/media/plan.js';

describe('planSegments', () => {
  it('cuts back-to-back windows and keeps a last partial window', () => {
    const plan = planSegments(10, { window: 4, stride: 4, frames: 2 });
    expect(plan.segments.map((s) => [s.start, s.end])).toEqual([[0, 4], [4, 8], [8, 10]]);
    expect(plan.times).toEqual([1, 3, 5, 7, 8.5, 9.5]);
    expect(plan.segments[2].frameRefs.map((r) => plan.times[r])).toEqual([8.5, 9.5]);
  });

  it('makes one segment for a clip shorter than a window', () => {
    const plan = planSegments(0.5, { window: 4, stride: 4, frames: 4 });
    expect(plan.segments).toHaveLength(1);
    expect(plan.segments[0]).toMatchObject({ start: 0, end: 0.5 });
    expect(plan.times).toEqual([0.0625, 0.1875, 0.3125, 0.4375]);
  });

  it('shares sample times between overlapping windows', () => {
    const plan = planSegments(8, { window: 4, stride: 2, frames: 4 });
    expect(plan.segments.map((s) => s.start)).toEqual([0, 2, 4]);
    // 3 segments × 4 frames, but windows overlap by half: 8 unique times.
    expect(plan.times).toHaveLength(8);
    expect(plan.segments[1].frameRefs.map((r) => plan.times[r])).toEqual([2.5, 3.5, 4.5, 5.5]);
  });

  it('keeps every sample strictly inside its segment and times ascending', () => {
    const plan = planSegments(37.3, { window: 5, stride: 3, frames: 7 });
    for (const s of plan.segments) {
      for (const r of s.frameRefs) {
        expect(plan.times[r]).toBeGreaterThan(s.start);
        expect(plan.times[r]).toBeLessThan(s.end);
      }
    }
    for (let i = 1; i < plan.times.length; i++) expect(plan.times[i]).toBeGreaterThan(plan.times[i - 1]);
    expect(plan.segments.at(-1)!.end).toBeCloseTo(37.3);
  });

  it('drops a negligible tail instead of making a near-empty segment', () => {
    const plan = planSegments(8.001, { window: 4, stride: 4, frames: 2 });
    expect(plan.segments.map((s) => s.start)).toEqual([0, 4]);
    expect(plan.segments[1].end).toBeCloseTo(8.001);
  });
});
