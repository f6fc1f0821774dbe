import { jpegFrame } from '../../media/thumbnail.js';
import type { ClassifyReport, EvalReport, MultiLabelReport, QaMetrics, QaReport, RetrievalReport, RetrievalReportMetrics, Span } from './types.js';
import type { ClassificationMetrics, MultiLabelMetrics } from '../metrics/classification.js';
import { escape, fmt, type Row } from './format.js';
import { worstMoments } from './moments-sections.js';
import { worstForecasts, worstTracks } from './readout-sections.js';


export const RETRIEVAL_ROWS: Row<RetrievalReportMetrics>[] = [
  ...(['t2v', 'v2t'] as const).flatMap((dir): Row<RetrievalReportMetrics>[] => {
    const label = dir === 't2v' ? 'text→video' : 'video→text';
    return [
      ...(['R1', 'R5', 'R10'] as const).map((k) => ({ name: `${label} ${k.replace('R', 'R@')} (%) ↑`, get: (m: RetrievalReportMetrics) => m.retrieval[dir][k] })),
      { name: `${label} MedR ↓`, get: (m) => m.retrieval[dir].MedR },
      { name: `${label} MnR ↓`, get: (m) => m.retrieval[dir].MnR },
    ];
  }),
  { name: 'mAP (EK100 MIR), avg ↑', get: (m) => m.mir.mAP.avg },
  { name: 'nDCG (EK100 MIR), avg ↑', get: (m) => m.mir.nDCG.avg },
  { name: 'gallery (clips)', get: (m) => m.gallery.clips },
  ...(['R1', 'R5', 'R10'] as const).map((k) => ({ name: `chance text→video ${k.replace('R', 'R@')} (%)`, get: (m: RetrievalReportMetrics) => m.gallery[k] })),
];

export const CLASSIFY_ROWS: Row<{ classify: ClassificationMetrics }>[] = [
  { name: 'acc1 (%) ↑', get: (m) => m.classify.acc1 },
  { name: 'acc5 (%) ↑', get: (m) => m.classify.acc5 },
  { name: 'mean per-class recall (%) ↑', get: (m) => m.classify.mean_per_class_recall },
];

export const MULTILABEL_ROWS: Row<{ multilabel: MultiLabelMetrics }>[] = [
  { name: 'mAP (%) ↑', get: (m) => m.multilabel.mAP },
  { name: 'label-frequency control mAP (%)', get: (m) => m.multilabel.control_mAP },
];

export const QA_ROWS: Row<QaMetrics>[] = [
  { name: 'CloseQA strict accuracy (%) ↑', get: (m) => m.closeqa?.strict.accuracy },
  { name: 'CloseQA lenient accuracy (%) ↑', get: (m) => m.closeqa?.lenient.accuracy },
  { name: 'OpenQA accuracy (%) ↑', get: (m) => m.openqa?.accuracy },
  { name: 'OpenQA mean mark (0–5) ↑', get: (m) => m.openqa?.mean_mark },
  { name: 'baseline CloseQA strict (%) ↑', get: (m) => m.baseline?.closeqa.strict.accuracy },
];

async function thumb(video: string, span: Span): Promise<string> {
  const jpeg = await jpegFrame(video, (span.start + span.end) / 2, 160);
  return jpeg ? `<img alt="frame of ${escape(video)}" src="data:image/jpeg;base64,${jpeg.toString('base64')}">` : '<span class="nothumb">no frame</span>';
}

async function worstQueries(report: RetrievalReport): Promise<string> {
  const worst = [...report.details].sort((a, b) => b.rank - a.rank).slice(0, 5);
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

async function misclassified(report: ClassifyReport): Promise<string> {
  const wrong = report.details.filter((d) => !d.correct).slice(0, 8);
  const items = await Promise.all(wrong.map(async (d) => `<figure>${await thumb(d.video, d.span)}<figcaption>${escape(d.label)} → ${escape(d.predicted)}</figcaption></figure>`));
  return `<h2>Misclassified clips</h2><div class="strip">${items.join('') || '<p>none</p>'}</div>`;
}

/** Each class's AP, lowest first, and the clips whose top classes missed every one of their labels. */
async function perClassAndMisses(report: MultiLabelReport): Promise<string> {
  const { per_class_ap: ap, background } = report.metrics.multilabel;
  const rows = Object.entries(ap).sort((a, b) => a[1] - b[1]).map(([c, v]) => `<tr><td>${escape(c)}${c === background ? ' (background, not in the mean)' : ''}</td><td>${fmt(v)}</td></tr>`).join('');
  const missed = report.details.filter((d) => d.labels.length && !d.top.some((t) => d.labels.includes(t.label))).slice(0, 8);
  const items = await Promise.all(missed.map(async (d) => `<figure>${await thumb(d.video, d.span)}<figcaption>${escape(d.labels.join(', '))} → ${escape(d.top.map((t) => t.label).join(', '))}</figcaption></figure>`));
  return `<h2>Average precision per class</h2><table class="summary"><thead><tr><th>class</th><th>AP (%)</th></tr></thead><tbody>${rows}</tbody></table><h2>Clips whose top classes miss all their labels</h2><div class="strip">${items.join('') || '<p>none</p>'}</div>`;
}

function wrongAnswers(report: QaReport): string {
  const wrong = report.details
    .filter((d) => d.strict === false || (d.mark !== undefined && d.mark < 4) || (d.reply === undefined && d.key !== null && d.baseline && d.baseline.letter !== d.key))
    .slice(0, 12);
  const rowsHtml = wrong
    .map((d) => `<tr><td>${escape(d.id)}</td><td>${escape(d.question)}<br><small>${d.options.map(escape).join(' · ')}</small></td><td>${escape(d.key ?? '–')}</td><td><code>${escape((d.reply ?? d.baseline?.letter ?? '').slice(0, 300))}</code></td></tr>`)
    .join('');
  return `<h2>Wrong answers</h2><table class="summary answers"><thead><tr><th>id</th><th>question</th><th>key</th><th>reply</th></tr></thead><tbody>${rowsHtml || '<tr><td colspan="4">none</td></tr>'}</tbody></table>`;
}

/** The worst cases of a report, with thumbnails where there are clips. */
export function worstSection(report: EvalReport): Promise<string> | string {
  if (report.kind === 'retrieval') return worstQueries(report);
  if (report.kind === 'classify') return misclassified(report);
  if (report.kind === 'multilabel') return perClassAndMisses(report);
  if (report.kind === 'moments') return worstMoments(report);
  if (report.kind === 'forecast') return worstForecasts(report);
  if (report.kind === 'tracking') return worstTracks(report);
  return wrongAnswers(report);
}
