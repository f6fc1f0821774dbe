/**
 * Forecasting scored as SciVid scores Digital Typhoon (REFERENCES §8, `scivid/metrics/regression.py`):
 * the RMSE of each lead step over the samples, and the headline mean over chosen leads. A step's value
 * may be a vector (a position): its squared error is the squared Euclidean distance. Pure functions.
 */

/** 0-indexed steps of a 12-step forecast that SciVid averages (leads 1, 2, 3, 6 and 12). */
export const SCIVID_LEADS = [0, 1, 2, 5, 11] as const;

export interface ForecastPair {
  /** Predicted values, one per step; each step a vector (length 1 for a scalar series). */
  pred: readonly (readonly number[])[];
  truth: readonly (readonly number[])[];
}

export interface ForecastMetrics {
  /** `rmse[t]` for every step t of the forecasts. */
  rmse: Record<string, number>;
  /** Mean of `rmse` over `leads`. */
  headline: number;
  leads: number[];
  n: number;
}

/**
 * Per-step RMSE and the headline over `leads`. Every forecast must have the same number of steps and
 * the same value size as its truth; a lead at or beyond that number is a RangeError.
 */
export function forecastMetrics(pairs: readonly ForecastPair[], leads: readonly number[] = SCIVID_LEADS): ForecastMetrics {
  if (!pairs.length) throw new RangeError('no forecasts to score');
  const steps = pairs[0].truth.length;
  for (const lead of leads) {
    if (!Number.isInteger(lead) || lead < 0 || lead >= steps) throw new RangeError(`lead ${lead} is outside the forecasts' ${steps} steps (0–${steps - 1})`);
  }
  const sums = new Float64Array(steps);
  for (const { pred, truth } of pairs) {
    if (pred.length !== steps || truth.length !== steps) throw new RangeError(`every forecast needs ${steps} steps, got ${pred.length} predicted and ${truth.length} true`);
    for (let t = 0; t < steps; t++) {
      if (pred[t].length !== truth[t].length) throw new RangeError(`step ${t}: a prediction of size ${pred[t].length} against a truth of size ${truth[t].length}`);
      for (let k = 0; k < truth[t].length; k++) sums[t] += (pred[t][k] - truth[t][k]) ** 2;
    }
  }
  const rmse: Record<string, number> = {};
  for (let t = 0; t < steps; t++) rmse[String(t)] = Math.sqrt(sums[t] / pairs.length);
  const headline = leads.reduce((a, lead) => a + rmse[String(lead)], 0) / leads.length;
  return { rmse, headline, leads: [...leads], n: pairs.length };
}
