/**
 * Point tracking scored as SciVid scores STIR (REFERENCES §8, `scivid/metrics/point_tracking.py`):
 * each query point's predicted position in the last frame against the *nearest* valid ground-truth
 * end point of its clip, in pixels of a 1280 × 1024 frame after rounding. Pure functions, percentages out.
 */

export type Point = readonly [x: number, y: number];

export interface TrackingSample {
  /** Predicted last-frame positions, one per query point, normalised to [0, 1]; null: not predicted (a miss). */
  points: readonly (Point | null)[];
  /** Ground-truth last-frame positions of the clip's tracks, normalised to [0, 1]. */
  endpoints: readonly Point[];
  /** Which end points are visible (only those can be matched). */
  valid: readonly boolean[];
}

export const STIR_THRESHOLDS_PX = [4, 8, 16, 32, 64] as const;
/** STIR's native frame: normalised coordinates are scaled to it before rounding. */
export const STIR_FRAME = { width: 1280, height: 1024 } as const;

export interface TrackingMetrics {
  /** `acc[τ]`: % of query points within τ px (inclusive) of the nearest valid end point, pooled over clips. */
  acc: Record<string, number>;
  /** Mean of `acc` over the thresholds (the headline). */
  average: number;
  /** Query points scored. */
  n: number;
}

/** numpy's (and jax's) `round`: halves go to the even neighbour, so 2.5 → 2 and 3.5 → 4. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function toPixels([x, y]: Point): Point {
  return [roundHalfEven(x * STIR_FRAME.width), roundHalfEven(y * STIR_FRAME.height)];
}

/** Each predicted point's distance in px to the nearest valid end point; Infinity when none is valid or nothing was predicted. */
export function nearestEndpointDistances(sample: TrackingSample): number[] {
  const targets = sample.endpoints.filter((_, i) => sample.valid[i]).map(toPixels);
  return sample.points.map((p) => {
    if (!p) return Infinity;
    const [px, py] = toPixels(p);
    let best = Infinity;
    for (const [tx, ty] of targets) best = Math.min(best, Math.hypot(px - tx, py - ty));
    return best;
  });
}

/** STIR accuracies within 4, 8, 16, 32 and 64 px and their mean, pooled over all query points. */
export function trackingMetrics(samples: readonly TrackingSample[], thresholds: readonly number[] = STIR_THRESHOLDS_PX): TrackingMetrics {
  const distances = samples.flatMap(nearestEndpointDistances);
  const n = distances.length;
  const acc: Record<string, number> = {};
  for (const t of thresholds) acc[String(t)] = n ? (100 * distances.filter((d) => d <= t).length) / n : NaN;
  const values = Object.values(acc);
  return { acc, average: values.reduce((a, b) => a + b, 0) / values.length, n };
}
