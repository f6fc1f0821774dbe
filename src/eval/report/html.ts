import { jpegFrame } from '../../media/thumbnail.js';
import { domainBars, recallCurve, renderSvg } from './charts.js';
import type { EvalReport } from './types.js';

const escape = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const fmt = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(v < 1 && v > -1 ? 4 : 2)) : v === null ? 'NaN' : escape(v));

interface Row {
  name: string;
  get: (metrics: Record<string, unknown>) => unknown;
}

function pick(path: string): (m: Record<string, unknown>) => unknown {
  return (m) => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), m);
}

/** The summary rows for each report kind: name (with direction) and where the number lives. */
function summaryRows(kind: EvalReport['kind']): Row[] {
  if (kind === 'retrieval') {
    const rows: Row[] = [];
    for (const dir of ['t2v', 'v2t'] as const) {
      const label = dir === 't2v' ? 'text→video' : 'video→text';
      for (const k of ['R1', 'R5', 'R10']) rows.push({ name: `${label} ${k.replace('R', 'R@')} (%) ↑`, get: pick(`retrieval.${dir}.${k}`) });
      rows.push({ name: `${label} MedR ↓`, get: pick(`retrieval.${dir}.MedR`) });
      rows.push({ name: `${label} MnR ↓`, get: pick(`retrieval.${dir}.MnR`) });
    }
    rows.push({ name: 'mAP (EK100 MIR), avg ↑', get: pick('mir.mAP.avg') });
    rows.push({ name: 'nDCG (EK100 MIR), avg ↑', get: pick('mir.nDCG.avg') });
    return rows;
  }
  if (kind === 'classify') {
    return [
      { name: 'acc1 (%) ↑', get: pick('classify.acc1') },
      { name: 'acc5 (%) ↑', get: pick('classify.acc5') },
      { name: 'mean per-class recall (%) ↑', get: pick('classify.mean_per_class_recall') },
    ];
  }
  return [
    { name: 'CloseQA strict accuracy (%) ↑', get: pick('closeqa.strict.accuracy') },
    { name: 'CloseQA lenient accuracy (%) ↑', get: pick('closeqa.lenient.accuracy') },
    { name: 'OpenQA accuracy (%) ↑', get: pick('openqa.accuracy') },
    { name: 'OpenQA mean mark (0–5) ↑', get: pick('openqa.mean_mark') },
    { name: 'baseline CloseQA strict (%) ↑', get: pick('baseline.closeqa.strict.accuracy') },
  ];
}

async function thumb(video: string, span: { start: number; end: number }): Promise<string> {
  const jpeg = await jpegFrame(video, (span.start + span.end) / 2, 160);
  return jpeg ? `<img alt="frame of ${escape(video)}" src="data:image/jpeg;base64,${jpeg.toString('base64')}">` : '<span class="nothumb">no frame</span>';
}

type Detail = Record<string, unknown> & { video: string; span: { start: number; end: number } };

async function worstSection(report: EvalReport): Promise<string> {
  if (report.kind === 'retrieval') {
    const worst = [...(report.details as Array<Detail & { caption: string; rank: number; top: Detail[] }>)].sort((a, b) => b.rank - a.rank).slice(0, 5);
    const items = await Promise.all(
      worst.map(async (q) => {
        const retrieved = await Promise.all(
          q.top.slice(0, 3).map(async (t) => `<figure>${await thumb(t.video, t.span)}<figcaption>${escape(t.video.split('/').pop())} ${t.span.start.toFixed(1)}–${t.span.end.toFixed(1)} s · ${fmt(t.score)}</figcaption></figure>`),
        );
        return `<div class="query"><p><b>“${escape(q.caption)}”</b> — ground truth ranked <b>${q.rank}</b></p><div class="strip"><figure class="gt">${await thumb(q.video, q.span)}<figcaption>ground truth</figcaption></figure>${retrieved.join('')}</div></div>`;
      }),
    );
    return `<h2>Worst queries</h2><p>The captions whose clip ranked lowest, with the ground truth and the top retrieved clips.</p>${items.join('')}`;
  }
  if (report.kind === 'classify') {
    const wrong = (report.details as Array<Detail & { label: string; predicted: string; correct: boolean }>).filter((d) => !d.correct).slice(0, 8);
    const items = await Promise.all(wrong.map(async (d) => `<figure>${await thumb(d.video, d.span)}<figcaption>${escape(d.label)} → ${escape(d.predicted)}</figcaption></figure>`));
    return `<h2>Misclassified clips</h2><div class="strip">${items.join('') || '<p>none</p>'}</div>`;
  }
  const wrong = (report.details as Array<{ id: string; question: string; options: string[]; key: string; reply?: string; strict?: boolean; mark?: number; baseline?: { letter: string } }>)
    .filter((d) => d.strict === false || (d.mark !== undefined && d.mark < 4) || (d.reply === undefined && d.baseline && d.baseline.letter !== d.key))
    .slice(0, 12);
  const rowsHtml = wrong
    .map((d) => `<tr><td>${escape(d.id)}</td><td>${escape(d.question)}<br><small>${d.options.map(escape).join(' · ')}</small></td><td>${escape(d.key)}</td><td><code>${escape((d.reply ?? d.baseline?.letter ?? '').slice(0, 300))}</code></td></tr>`)
    .join('');
  return `<h2>Wrong answers</h2><table class="summary"><thead><tr><th>id</th><th>question</th><th>key</th><th>reply</th></tr></thead><tbody>${rowsHtml || '<tr><td colspan="4">none</td></tr>'}</tbody></table>`;
}

/** A single self-contained HTML page: summary table, per-domain chart, recall curve, worst cases with thumbnails. */
export async function renderHtml(report: EvalReport): Promise<string> {
  const domains = Object.entries(report.domains);
  const rows = summaryRows(report.kind);
  const categories = report.kind === 'qa' ? Object.entries((report.metrics.categories ?? {}) as EvalReport['domains']) : [];
  const finite = (r: Row) => Number.isFinite(Number(r.get(report.metrics)));
  const shown = rows.filter((r) => report.kind !== 'qa' || finite(r));
  const headline = shown.find(finite) ?? shown[0];
  const table = `<table class="summary"><thead><tr><th>metric</th><th>all (n=${report.dataset.n})</th>${domains.map(([d, s]) => `<th>${escape(d)} (n=${s.n})</th>`).join('')}</tr></thead><tbody>${shown
    .map((r) => `<tr><td>${escape(r.name)}</td><td>${fmt(r.get(report.metrics))}</td>${domains.map(([, s]) => `<td>${fmt(r.get(s.metrics))}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
  const charts: string[] = [];
  const bars = domains
    .map(([domain, s]) => ({ domain, value: Number(headline.get(s.metrics)) }))
    .filter((b) => Number.isFinite(b.value));
  if (bars.length) charts.push(await renderSvg(domainBars(bars, headline.name)));
  if (categories.length) {
    const values = categories.map(([domain, s]) => ({ domain, value: Number(headline.get(s.metrics)) })).filter((b) => Number.isFinite(b.value));
    if (values.length) charts.push((await renderSvg(domainBars(values, headline.name))).replace('per domain', 'per category'));
  }
  if (report.curves?.recall_at_k) charts.push(await renderSvg(recallCurve(report.curves.recall_at_k as Array<{ k: number; t2v: number }>)));
  const definitions = Object.entries(report.definitions).map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(v)}</dd>`).join('');
  const warnings = report.warnings.length ? `<h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${escape(w)}</li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vidlens ${escape(report.kind)} report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
table.summary{border-collapse:collapse;margin:1rem 0}table.summary td,table.summary th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}
table.summary td:first-child,table.summary th:first-child{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:2rem}
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
