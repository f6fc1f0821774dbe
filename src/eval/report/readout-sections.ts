import type { ForecastScores } from '../forecast-data.js';
import { escape, fmt, type Row } from './format.js';
import type { ForecastReport, TrackingReport } from './types.js';
import type { TrackingMetrics } from '../metrics/tracking.js';
import type { TrackingScores } from '../tracking-data.js';

const METHODS: Array<[keyof ForecastScores, string]> = [['readout', 'forecaster'], ['persistence', 'persistence (control)'], ['constant_velocity', 'constant velocity (control)'], ['training_mean', 'training mean (control)']];

/** Headline RMSE of the forecaster and each control, then the forecaster's RMSE per lead step (the steps of the first clip's forecast). */
export function forecastRows(report: ForecastReport): Row<{ forecast: ForecastScores }>[] {
  const steps = Array.from({ length: report.config.leadSteps as number }, (_, t) => String(t));
  return [
    ...METHODS.map(([key, name]) => ({ name: `${name}: headline RMSE ↓`, get: (m: { forecast: ForecastScores }) => m.forecast[key]?.headline })),
    ...steps.map((t) => ({ name: `forecaster: RMSE at lead step ${t} ↓`, get: (m: { forecast: ForecastScores }) => m.forecast.readout?.rmse[t] })),
  ];
}

/** The text `vidlens eval forecast` (and `train forecast`) prints: each method's headline, overall and per domain. */
export function forecastScoreLines(name: string, m: ForecastScores): string {
  const cells = METHODS.map(([key, label]) => `${label.replace(' (control)', '')} ${m[key] ? m[key]!.headline.toPrecision(4) : 'n/a'}`);
  return `${name.padEnd(12)} headline RMSE  ${cells.join('  ')}`;
}

export function forecastText(r: ForecastReport): string[] {
  return [
    `${r.dataset.n} clips, ${r.config.leadSteps} lead steps (headline over ${(r.config.leads as number[]).join(', ')}), model ${r.model?.id}${r.adapter ? '' : ', no --adapter: controls only'}`,
    forecastScoreLines('all', r.metrics.forecast),
    ...Object.entries(r.domains).map(([d, s]) => forecastScoreLines(d, s.metrics.forecast)),
  ];
}

const values = (v: number[][] | null) => (v ? v.map((s) => `(${s.map((x) => fmt(x)).join(', ')})`).join(' ') : '–');
const error = (p: number[][] | null, y: number[][]) => (p ? Math.sqrt(p.reduce((a, s, t) => a + s.reduce((b, x, k) => b + (x - y[t][k]) ** 2, 0), 0) / p.length) : NaN);

/** The clips the forecaster missed by most (root mean squared error over their lead steps), with persistence beside it. */
export function worstForecasts(r: ForecastReport): string {
  const worst = [...r.details].sort((a, b) => (error(b.forecast, b.values) || 0) - (error(a.forecast, a.values) || 0)).slice(0, 12);
  const rows = worst.map((d) => `<tr><td>${escape(d.id)}</td><td>${escape(d.domain)}</td><td>${values(d.values)}</td><td>${values(d.forecast)}</td><td>${fmt(error(d.forecast, d.values))}</td><td>${fmt(error(d.persistence, d.values))}</td></tr>`);
  return `<h2>Largest forecast errors</h2><table class="summary answers"><thead><tr><th>clip</th><th>domain</th><th>truth</th><th>forecast</th><th>RMSE</th><th>persistence RMSE</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="6">none</td></tr>'}</tbody></table>`;
}

const THRESHOLDS = ['4', '8', '16', '32', '64'];

/** The tracker's STIR accuracies and average, then the query-point control's. */
export const TRACKING_ROWS: Row<{ tracking: TrackingScores }>[] = (['readout', 'query_point'] as const).flatMap((key) => {
  const name = key === 'readout' ? 'tracker' : 'query point (control)';
  return [
    { name: `${name}: STIR average (%) ↑`, get: (m: { tracking: TrackingScores }) => m.tracking[key]?.average },
    ...THRESHOLDS.map((t) => ({ name: `${name}: within ${t} px (%) ↑`, get: (m: { tracking: TrackingScores }) => m.tracking[key]?.acc[t] })),
  ];
});

/** STIR scores of the tracker and the query-point control, as one line. */
export function trackingScoreLine(name: string, m: TrackingScores): string {
  const cells = (t: TrackingMetrics) => `${Object.entries(t.acc).map(([px, a]) => `≤${px} ${a.toFixed(1)}`).join(' ')} avg ${t.average.toFixed(1)}`;
  return `${name.padEnd(10)} n=${String(m.query_point.n).padEnd(4)} tracker ${m.readout ? cells(m.readout) : 'n/a'} | query point (control) ${cells(m.query_point)}`;
}

export function trackingText(r: TrackingReport): string[] {
  return [
    `${r.dataset.n} clips, ${r.metrics.tracking.query_point.n} query points, model ${r.model?.id}${r.adapter ? '' : ', no --adapter: the control only'}`,
    trackingScoreLine('all', r.metrics.tracking),
    ...Object.entries(r.domains).map(([d, s]) => trackingScoreLine(d, s.metrics.tracking)),
  ];
}

const point = (p: readonly number[]) => `(${p.map((v) => v.toFixed(3)).join(', ')})`;

/** The query points the tracker placed furthest from any valid end point, with the control's distance beside. */
export function worstTracks(r: TrackingReport): string {
  const points = r.details.flatMap((d) => d.queries.map((q, j) => ({ d, j, q, error: d.distances ? d.distances[j] : NaN })));
  const worst = points.filter((p) => Number.isFinite(p.error)).sort((a, b) => b.error - a.error).slice(0, 12);
  const rows = worst.map(({ d, j, q, error }) => `<tr><td>${escape(d.id)}</td><td>${escape(d.domain)}</td><td>${point(q)}</td><td>${point(d.endpoints[j])}${d.valid[j] ? '' : ' (not visible)'}</td><td>${d.predicted ? point(d.predicted[j]) : '–'}</td><td>${fmt(error)}</td><td>${fmt(d.controlDistances[j])}</td></tr>`);
  return `<h2>Largest tracking errors</h2><p>Distances in px of a ${escape((r.config.stirFrame as { width: number }).width)} × ${escape((r.config.stirFrame as { height: number }).height)} frame to the nearest valid end point.</p><table class="summary answers"><thead><tr><th>clip</th><th>domain</th><th>query</th><th>its end point</th><th>predicted</th><th>error (px)</th><th>control error (px)</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="7">none</td></tr>'}</tbody></table>`;
}
