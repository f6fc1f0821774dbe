/**
 * The controls a forecast is judged against (REFERENCES §8), from each clip's observed series (one
 * value per step, null where unobserved; the forecast's lead steps continue it at the same step).
 * Pure functions.
 */

type Series = ReadonlyArray<readonly number[] | null>;

/** The last observed value and its step, or null for a series never observed. */
export function lastObserved(history: Series): { step: number; value: readonly number[] } | null {
  for (let t = history.length - 1; t >= 0; t--) if (history[t]) return { step: t, value: history[t]! };
  return null;
}

/** Persistence: the last observed value at every lead step. */
export function persistence(history: Series, leadSteps: number): number[][] | null {
  const last = lastObserved(history);
  return last ? Array.from({ length: leadSteps }, () => [...last.value]) : null;
}

/**
 * Constant velocity: a least-squares line through every observed step, per component, continued past
 * the series' end (lead step t at history step `length + t`). Fitting all observed steps rather than the
 * last two keeps per-frame jitter (camera shake) from setting the velocity. Fewer than two observed
 * steps: persistence.
 */
export function constantVelocity(history: Series, leadSteps: number): number[][] | null {
  const observed = history.flatMap((v, t) => (v ? [{ t, v }] : []));
  if (observed.length < 2) return persistence(history, leadSteps);
  const n = observed.length;
  const meanT = observed.reduce((a, o) => a + o.t, 0) / n;
  const varT = observed.reduce((a, o) => a + (o.t - meanT) ** 2, 0);
  const size = observed[0].v.length;
  const lines = Array.from({ length: size }, (_, k) => {
    const meanV = observed.reduce((a, o) => a + o.v[k], 0) / n;
    const slope = observed.reduce((a, o) => a + (o.t - meanT) * (o.v[k] - meanV), 0) / varT;
    return { meanV, slope };
  });
  return Array.from({ length: leadSteps }, (_, t) => lines.map(({ meanV, slope }) => meanV + slope * (history.length + t - meanT)));
}

/** The training mean of each lead step's value: the same forecast for every clip. */
export function trainingMean(values: ReadonlyArray<ReadonlyArray<readonly number[]>>, train: readonly number[]): number[][] {
  const first = values[train[0]];
  return first.map((step, t) => step.map((_, k) => train.reduce((a, i) => a + values[i][t][k], 0) / train.length));
}
