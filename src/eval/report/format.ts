/** What every report section formats with: HTML escaping, numbers as shown, summary rows. */

export const escape = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Integers as they are; small magnitudes (errors in normalised units) to 3 significant digits; else 4 decimals below 1, 2 above. */
export const fmt = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v) ? 'NaN' : Number.isInteger(v) ? String(v) : Math.abs(v) < 0.01 ? v.toPrecision(3) : v.toFixed(v < 1 && v > -1 ? 4 : 2);

/** A summary row: the number's name (with its direction) and where it lives in a task's metrics. */
export interface Row<M> {
  name: string;
  get: (metrics: M) => number | null | undefined;
}
