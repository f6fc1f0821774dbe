import { SPAN_STRATEGIES } from '../../search/spans.js';
import { escape, type Row } from './format.js';
import type { MomentsMetrics, MomentsReport } from './types.js';

const CELLS = [
  { name: 'R@1, tIoU≥0.5 (%) ↑', get: (m: MomentsMetrics[keyof MomentsMetrics]) => m.recall['1']['0.5'] },
  { name: 'R@1, tIoU≥0.7 (%) ↑', get: (m: MomentsMetrics[keyof MomentsMetrics]) => m.recall['1']['0.7'] },
  { name: 'R@5, tIoU≥0.5 (%) ↑', get: (m: MomentsMetrics[keyof MomentsMetrics]) => m.recall['5']['0.5'] },
  { name: 'mIoU (%) ↑', get: (m: MomentsMetrics[keyof MomentsMetrics]) => m.mIoU },
  { name: 'mAP 0.5:0.95 (%) ↑', get: (m: MomentsMetrics[keyof MomentsMetrics]) => m.mAP },
];

/** Summary rows: refined spans first (the headline), then merged and fixed windows for comparison. */
export const MOMENT_ROWS: Row<MomentsMetrics>[] = [...SPAN_STRATEGIES].reverse().flatMap((strategy) => CELLS.map((c) => ({ name: `${strategy}: ${c.name}`, get: (m: MomentsMetrics) => c.get(m[strategy]) })));

const span = (s: number, e: number) => `${s.toFixed(1)}–${e.toFixed(1)} s`;

/** The text `vidlens eval moments` prints: per strategy, the headline numbers overall and per domain. */
export function momentsText(r: MomentsReport): string[] {
  const line = (name: string, m: MomentsMetrics) =>
    SPAN_STRATEGIES.map((s) => `${`${name} ${s}`.padEnd(22)} R@1,0.5 ${m[s].recall['1']['0.5'].toFixed(2)}  R@1,0.7 ${m[s].recall['1']['0.7'].toFixed(2)}  R@5,0.5 ${m[s].recall['5']['0.5'].toFixed(2)}  mIoU ${m[s].mIoU.toFixed(2)}  mAP ${m[s].mAP.toFixed(2)}`);
  return [
    `${r.dataset.n} queries, scope ${r.config.scope}, model ${r.model?.id}`,
    ...line('all', r.metrics),
    ...Object.entries(r.domains).flatMap(([d, s]) => line(d, s.metrics)),
  ];
}

/** The queries whose refined top-1 span is furthest from the truth. */
export function worstMoments(r: MomentsReport): string {
  const worst = [...r.details].sort((a, b) => a.iou.refined - b.iou.refined).slice(0, 12);
  const rows = worst.map((d) => `<tr><td>${escape(d.query)}</td><td>${escape(d.video)}</td><td>${d.windows.map(([s, e]) => span(s, e)).join(', ')}</td><td>${d.top[0] ? `${escape(d.top[0].video)} ${span(d.top[0].start, d.top[0].end)}` : 'none'}</td><td>${d.iou.refined.toFixed(2)}</td></tr>`);
  return `<h2>Worst queries (refined top-1)</h2><table class="summary answers"><thead><tr><th>query</th><th>video</th><th>truth</th><th>top-1 span</th><th>tIoU</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="5">none</td></tr>'}</tbody></table>`;
}
