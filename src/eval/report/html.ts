import { domainBars, recallCurve, renderSvg } from './charts.js';
import { escape, fmt, type Row } from './format.js';
import { CLASSIFY_ROWS, MULTILABEL_ROWS, QA_ROWS, RETRIEVAL_ROWS, worstSection } from './sections.js';
import { MOMENT_ROWS } from './moments-sections.js';
import { forecastRows, TRACKING_ROWS } from './readout-sections.js';
import type { EvalReport } from './types.js';

interface Summary {
  table: string;
  charts: string[];
}

/** The summary table (all and per domain) and the headline metric's bars per domain (and per category). */
async function summary<M>(rows: Row<M>[], metrics: M, domains: Record<string, { n: number; metrics: M }>, n: number, options: { hideEmpty: boolean; categories?: Record<string, { n: number; metrics: M }> }): Promise<Summary> {
  const present = (r: Row<M>) => Number.isFinite(Number(r.get(metrics) ?? NaN));
  const shown = options.hideEmpty ? rows.filter(present) : rows;
  const headline = shown.find(present) ?? shown[0];
  const entries = Object.entries(domains);
  const table = `<table class="summary"><thead><tr><th>metric</th><th>all (n=${n})</th>${entries.map(([d, s]) => `<th>${escape(d)} (n=${s.n})</th>`).join('')}</tr></thead><tbody>${shown
    .map((r) => `<tr><td>${escape(r.name)}</td><td>${fmt(r.get(metrics))}</td>${entries.map(([, s]) => `<td>${fmt(r.get(s.metrics))}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
  const charts: string[] = [];
  if (!headline) return { table, charts };
  const bars = (groups: Record<string, { metrics: M }>) =>
    Object.entries(groups).map(([domain, s]) => ({ domain, value: Number(headline.get(s.metrics) ?? NaN) })).filter((b) => Number.isFinite(b.value));
  const byDomain = bars(domains);
  if (byDomain.length) charts.push(await renderSvg(domainBars(byDomain, headline.name, 'domain')));
  const byCategory = options.categories ? bars(options.categories) : [];
  if (byCategory.length) charts.push(await renderSvg(domainBars(byCategory, headline.name, 'category')));
  return { table, charts };
}

function summaryOf(report: EvalReport): Promise<Summary> {
  const n = report.dataset.n;
  if (report.kind === 'retrieval') return summary(RETRIEVAL_ROWS, report.metrics, report.domains, n, { hideEmpty: false });
  if (report.kind === 'classify') return summary(CLASSIFY_ROWS, report.metrics, report.domains, n, { hideEmpty: false });
  if (report.kind === 'multilabel') return summary(MULTILABEL_ROWS, report.metrics, report.domains, n, { hideEmpty: false });
  if (report.kind === 'moments') return summary(MOMENT_ROWS, report.metrics, report.domains, n, { hideEmpty: false });
  if (report.kind === 'forecast') return summary(forecastRows(report), report.metrics, report.domains, n, { hideEmpty: true });
  if (report.kind === 'tracking') return summary(TRACKING_ROWS, report.metrics, report.domains, n, { hideEmpty: true });
  return summary(QA_ROWS, report.metrics, report.domains, n, { hideEmpty: true, categories: report.metrics.categories });
}

/** A single self-contained HTML page: summary table, per-domain chart, recall curve, worst cases with thumbnails. */
export async function renderHtml(report: EvalReport): Promise<string> {
  const { table, charts } = await summaryOf(report);
  if (report.kind === 'retrieval') charts.push(await renderSvg(recallCurve(report.curves.recall_at_k)));
  const definitions = Object.entries(report.definitions).map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(v)}</dd>`).join('');
  const warnings = report.warnings.length ? `<h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${escape(w)}</li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vidlens ${escape(report.kind)} report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
table.summary{border-collapse:collapse;margin:1rem 0}table.summary td,table.summary th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}
table.summary td:first-child,table.summary th:first-child,table.answers td,table.answers th{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:2rem}
.strip{display:flex;gap:.6rem;flex-wrap:wrap}figure{margin:0;font-size:12px;max-width:170px}figure.gt img{outline:3px solid #2a7}
.query{margin:1rem 0}dt{font-weight:600}dd{margin:0 0 .5rem 1rem}.meta{color:#666}
</style></head><body>
<h1>vidlens — ${escape(report.kind)} evaluation</h1>
<p class="meta">model <b>${escape(report.model?.id ?? 'none')}</b> · dataset <b>${escape(report.dataset.path)}</b> (${escape(report.dataset.format)}, n=${report.dataset.n}, sha256 ${escape(report.dataset.sha256.slice(0, 12))}…) · ${escape(report.created)} · vidlens ${escape(report.vidlens)}</p>
<h2>Summary</h2>${table}
<div class="charts">${charts.join('\n')}</div>
${warnings}
${await worstSection(report)}
<h2>Definitions</h2><dl>${definitions}</dl>
</body></html>
`;
}
