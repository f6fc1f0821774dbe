import { describe, expect, it } from 'vitest';
import { forecastMetrics, SCIVID_LEADS } from '../../src/eval/metrics/forecast.js';

const scalars = (values: number[]) => values.map((v) => [v]);

describe('forecast RMSE (Digital Typhoon as SciVid scores it)', () => {
  it('takes the RMSE of each step over samples, then the mean over the leads', () => {
    const m = forecastMetrics(
      [
        { pred: scalars([1, 2, 3]), truth: scalars([0, 0, 0]) },
        { pred: scalars([1, 0, 3]), truth: scalars([1, 2, 3]) },
      ],
      [0, 2],
    );
    expect(m.rmse['0']).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(m.rmse['1']).toBe(2);
    expect(m.rmse['2']).toBeCloseTo(Math.sqrt(4.5), 12);
    expect(m.headline).toBeCloseTo(Math.SQRT2, 12);
    expect(m).toMatchObject({ leads: [0, 2], n: 2 });
  });

  it('scores a vector step by its Euclidean distance', () => {
    expect(forecastMetrics([{ pred: [[3, 4]], truth: [[0, 0]] }], [0]).headline).toBe(5);
  });

  it('gives persistence on constant-velocity motion RMSE = speed × (step + 1), 4.8 × speed over the SciVid leads', () => {
    const speed = 0.05;
    const pairs = [0.1, 0.3, 0.6].map((x0) => ({
      pred: Array.from({ length: 12 }, () => [x0, 0.5]),
      truth: Array.from({ length: 12 }, (_, t) => [x0 + 0.03 * (t + 1), 0.5 + 0.04 * (t + 1)]),
    }));
    const m = forecastMetrics(pairs);
    expect(m.leads).toEqual([...SCIVID_LEADS]);
    for (let t = 0; t < 12; t++) expect(m.rmse[String(t)]).toBeCloseTo(speed * (t + 1), 12);
    expect(m.headline).toBeCloseTo(4.8 * speed, 12);
  });

  it('refuses leads beyond the forecast, uneven forecasts and nothing to score', () => {
    const six = { pred: scalars([0, 0, 0, 0, 0, 0]), truth: scalars([1, 1, 1, 1, 1, 1]) };
    expect(() => forecastMetrics([six])).toThrow(/lead 11 is outside the forecasts' 6 steps \(0–5\)/);
    expect(() => forecastMetrics([six, { pred: scalars([0]), truth: scalars([0]) }], [0])).toThrow(/every forecast needs 6 steps/);
    expect(() => forecastMetrics([{ pred: [[0, 0]], truth: [[0]] }], [0])).toThrow(/size 2 against a truth of size 1/);
    expect(() => forecastMetrics([], [0])).toThrow(/no forecasts to score/);
  });
});
