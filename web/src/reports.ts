import type { ReportEntryBody, ReportViewBody } from '../../src/server/schemas.js';
import { getJson } from './api.js';
import { byId, h } from './dom.js';

/** The reports panel: each eval report's headline numbers (the CLI's summary) and a link to its page. */
export async function loadReports(): Promise<void> {
  const { enabled, reports } = await getJson<{ enabled: boolean; reports: ReportEntryBody[] }>('/api/reports');
  const panel = byId('reports');
  panel.hidden = !enabled;
  if (!enabled) return;
  const list = byId('report-list');
  if (reports.length === 0) {
    list.replaceChildren(h('p', { class: 'empty' }, 'No reports in the reports folder yet.'));
    return;
  }
  const views = await Promise.all(reports.map((r) => getJson<ReportViewBody>(`/api/reports/${encodeURIComponent(r.name)}`)));
  list.replaceChildren(...views.map((v) => h('article', { class: 'report' },
    h('h3', {}, `${v.kind} · ${v.name}`),
    h('p', { class: 'meta' }, `${v.n} items of ${v.dataset} · model ${v.model ?? '—'} · ${new Date(v.created).toLocaleString()}`),
    h('pre', {}, v.summary.join('\n')),
    v.html ? h('a', { href: `/api/reports/${encodeURIComponent(v.name)}/html`, target: '_blank', rel: 'noopener' }, 'Open the full report') : null,
  )));
}
