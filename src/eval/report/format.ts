/** What every report section formats with: HTML escaping, numbers as shown, summary rows. */

export const escape = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export const fmt = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? 'NaN' : Number.isInteger(v) ? String(v) : v.toFixed(v < 1 && v > -1 ? 4 : 2));

/** A summary row: the number's name (with its direction) and where it lives in a task's metrics. */
export interface Row<M> {
  name: string;
  get: (metrics: M) => number | null | undefined;
}
