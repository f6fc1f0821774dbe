import { describe, expect, it } from 'vitest';
import { nearestEndpointDistances, roundHalfEven, trackingMetrics, type Point } from '../../src/eval/metrics/tracking.js';

/** A normalised point `dx` px right of and `dy` px below the pixel (px, py) of the 1280 × 1024 frame. */
const at = (px: number, py: number, dx = 0, dy = 0): Point => [(px + dx) / 1280, (py + dy) / 1024];

describe('STIR point tracking accuracy', () => {
  it('rounds halves to even, as numpy does', () => {
    expect([0.5, 1.5, 2.5, 3.5, -2.5, 2.49, 2.51].map(roundHalfEven)).toEqual([0, 2, 2, 4, -2, 2, 3]);
  });

  it('counts a point exactly on a threshold, after rounding to whole pixels', () => {
    const gt = at(640, 512);
    const samples = [4, 4.4, 4.6].map((dx) => ({ points: [at(640, 512, dx)], endpoints: [gt], valid: [true] }));
    expect(samples.map((s) => nearestEndpointDistances(s)[0])).toEqual([4, 4, 5]);
    const m = trackingMetrics(samples);
    expect(m.acc['4']).toBeCloseTo((100 * 2) / 3, 10);
    expect(m.acc['8']).toBe(100);
    expect(m.average).toBeCloseTo((200 / 3 + 400) / 5, 10);
    // 2.5 px rounds to 2 (half to even): within 2 px; half-up rounding would give 3.
    expect(trackingMetrics([{ points: [[2.5 / 1280, 0]], endpoints: [[0, 0]], valid: [true] }], [2]).acc['2']).toBe(100);
  });

  it('matches each prediction to the nearest valid end point, not its own track', () => {
    const a = at(100, 100);
    const b = at(1100, 900);
    const swapped = { points: [at(1100, 900, 3), at(100, 100, 0, 3)], endpoints: [a, b], valid: [true, true] };
    expect(trackingMetrics([swapped]).acc['4']).toBe(100);
    // With the near end point invalid, the far one is the nearest.
    const d = nearestEndpointDistances({ points: [at(100, 100)], endpoints: [a, b], valid: [false, true] })[0];
    expect(d).toBeCloseTo(Math.hypot(1000, 800), 10);
  });

  it('pools query points over clips, and a clip without valid end points or predictions misses', () => {
    const hit = { points: [at(10, 10)], endpoints: [at(10, 10)], valid: [true] };
    const noValid = { points: [at(10, 10), at(20, 20)], endpoints: [at(10, 10), at(20, 20)], valid: [false, false] };
    const notPredicted = { points: [null], endpoints: [at(10, 10)], valid: [true] };
    const m = trackingMetrics([hit, noValid, notPredicted]);
    expect(m.n).toBe(4);
    for (const t of ['4', '8', '16', '32', '64']) expect(m.acc[t]).toBe(25);
    expect(m.average).toBe(25);
  });

  it('gives the query-point control 100 % when nothing moves and less when things do', () => {
    const still = { points: [at(300, 300)], endpoints: [at(300, 300)], valid: [true] };
    const moved = { points: [at(300, 300)], endpoints: [at(300, 300, 20)], valid: [true] };
    expect(trackingMetrics([still]).average).toBe(100);
    expect(trackingMetrics([moved]).acc).toEqual({ '4': 0, '8': 0, '16': 0, '32': 100, '64': 100 });
  });
});
