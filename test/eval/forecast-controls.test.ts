import { describe, expect, it } from 'vitest';
import { constantVelocity, lastObserved, persistence, trainingMean } from '../../src/eval/forecast-controls.js';
import { bilinearWeights, fourier, patchCentres } from '../../src/heads/point/geometry.js';

describe('forecast controls', () => {
  const history = [[0, 1], null, [2, 1], [3, 1], null];

  it('persistence repeats the last observed value, skipping unobserved steps', () => {
    expect(lastObserved(history)).toEqual({ step: 3, value: [3, 1] });
    expect(persistence(history, 2)).toEqual([[3, 1], [3, 1]]);
    expect(persistence([null, null], 2)).toBeNull();
  });

  it('constant velocity continues the least-squares line through the observed steps at the series’ step', () => {
    // x = t over steps 0, 2, 3 (exact line), so the lead steps at t = 5, 6 are 5 and 6; y stays 1.
    const cv = constantVelocity(history, 2)!;
    expect(cv[0][0]).toBeCloseTo(5, 10);
    expect(cv[1][0]).toBeCloseTo(6, 10);
    expect(cv[1][1]).toBeCloseTo(1, 10);
    // Jitter around a line: the fit keeps the slope of the line, not of the last two points.
    const jittered = [[0], [1.5], [1.5], [3.5], [3.5]].map((v) => v);
    expect(constantVelocity(jittered, 1)![0][0]).toBeCloseTo(4.7, 10);
    expect(constantVelocity([null, [4]], 2)).toEqual([[4], [4]]);
  });

  it('training mean averages each lead step over the train clips only', () => {
    const values = [[[0], [2]], [[2], [4]], [[100], [100]]];
    expect(trainingMean(values, [0, 1])).toEqual([[1], [3]]);
  });
});

describe('point readout geometry', () => {
  it('bilinear weights sum to one and fall on the four nearest patch centres', () => {
    const w = bilinearWeights([0.5, 0.25], 4);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    // x = 0.5 lies between columns 1 and 2, y = 0.25 between rows 0 and 1 (centres at 0.125 and 0.375).
    expect([w[1], w[2], w[5], w[6]].map((v) => Number(v.toFixed(4)))).toEqual([0.25, 0.25, 0.25, 0.25]);
    const corner = bilinearWeights([0, 0], 4);
    expect(corner[0]).toBeCloseTo(1, 6);
    const centres = patchCentres(4);
    const at = (p: [number, number]) => {
      const weights = bilinearWeights(p, 4);
      return [0, 1].map((k) => centres.reduce((a, c, n) => a + weights[n] * c[k], 0));
    };
    // Inside the centres' hull, sampling the centres gives the point back.
    expect(at([0.3, 0.6]).map((v) => Number(v.toFixed(6)))).toEqual([0.3, 0.6]);
  });

  it('Fourier features: 16 sine/cosine pairs per coordinate', () => {
    const f = fourier([[0.25, 0.5]]);
    expect(f).toHaveLength(64);
    expect(f[0]).toBeCloseTo(Math.sin(Math.PI * 0.25), 6);
    expect(f[3]).toBeCloseTo(Math.cos(Math.PI * 0.5), 6);
    expect(f[4 * 15 + 1]).toBeCloseTo(Math.cos(16 * Math.PI * 0.25), 5);
  });
});
