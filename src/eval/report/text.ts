import type { ClassifyReport, EvalReport, MultiLabelReport, QaMetrics, QaReport, RetrievalReport, RetrievalReportMetrics } from './types.js';
import type { ClassificationMetrics, MultiLabelMetrics } from '../metrics/classification.js';
import { momentsText } from './moments-sections.js';
import { forecastText, trackingText } from './readout-sections.js';

const n2 = (v: number | null | undefined) => (typeof v === 'number' && !Number.isNaN(v) ? v.toFixed(2) : 'NaN');
const n4 = (v: number | null | undefined) => (typeof v === 'number' && !Number.isNaN(v) ? v.toFixed(4) : 'NaN');

function lines<M>(report: { metrics: M; domains: Record<string, { metrics: M }> }, line: (name: string, m: M) => string, extra: Record<string, { metrics: M }> = {}): string[] {
  return [line('all', report.metrics), ...Object.entries({ ...report.domains, ...extra }).map(([name, s]) => line(name, s.metrics))];
}

function retrievalText(r: RetrievalReport): string[] {
  const line = (name: string, { retrieval: { t2v, v2t }, mir, gallery }: RetrievalReportMetrics) =>
    `${name.padEnd(12)} t2v R@1 ${n2(t2v.R1)} R@5 ${n2(t2v.R5)} R@10 ${n2(t2v.R10)} MedR ${t2v.MedR} | v2t R@1 ${n2(v2t.R1)} R@5 ${n2(v2t.R5)} | mAP ${n4(mir.mAP.avg)} nDCG ${n4(mir.nDCG.avg)} | ${gallery.clips} clips, chance R@1 ${n2(gallery.R1)} R@10 ${n2(gallery.R10)}`;
  return [`${r.dataset.n} captions, model ${r.model?.id}`, ...lines(r, line)];
}

function classifyText(r: ClassifyReport): string[] {
  const line = (name: string, { classify: c }: { classify: ClassificationMetrics }) => `${name.padEnd(12)} acc1 ${n2(c.acc1)}  acc5 ${c.acc5 === null ? 'n/a (< 5 classes)' : n2(c.acc5)}  mean per-class recall ${n2(c.mean_per_class_recall)}`;
  return [`${r.dataset.n} clips, ${(r.config.classes as string[]).length} classes, model ${r.model?.id}`, ...lines(r, line)];
}

function multiLabelText(r: MultiLabelReport): string[] {
  const line = (name: string, { multilabel: m }: { multilabel: MultiLabelMetrics }) => `${name.padEnd(12)} mAP ${n2(m.mAP)}  (label-frequency control ${n2(m.control_mAP)})`;
  const background = r.metrics.multilabel.background;
  return [`${r.dataset.n} clips, ${(r.config.classes as string[]).length} classes${background ? ` (background ${background} not in the mean)` : ''}, model ${r.model?.id}`, ...lines(r, line)];
}

function qaText(r: QaReport): string[] {
  const line = (name: string, m: QaMetrics) => {
    const parts: string[] = [];
    if (m.closeqa) parts.push(`strict ${n2(m.closeqa.strict.accuracy)}  lenient ${n2(m.closeqa.lenient.accuracy)}`);
    if (m.openqa) parts.push(`open ${n2(m.openqa.accuracy)} (mean mark ${n2(m.openqa.mean_mark)})`);
    if (m.baseline) parts.push(`baseline ${n2(m.baseline.closeqa.strict.accuracy)}`);
    return `${name.padEnd(16)} ${parts.join(' | ')}`;
  };
  const baseline = r.config.baseline as { model: { id: string } } | null;
  if (r.config.scored === false) {
    const letters = (d: QaReport['details'][number]) => [d.lenientLetter && `model ${d.lenientLetter}`, d.baseline && `baseline ${d.baseline.letter}`].filter(Boolean).join(', ');
    return [`${r.dataset.n} questions, mode ${r.config.mode}, model ${r.config.backend ?? 'none'}, baseline ${baseline?.model.id ?? 'none'}: predictions only (no --answers)`, ...r.details.map((d) => `${d.id.padEnd(8)} ${letters(d) || 'no letter'}`)];
  }
  return [`${r.dataset.n} questions, mode ${r.config.mode}, model ${r.config.backend ?? 'none'}, baseline ${baseline?.model.id ?? 'none'}`, ...lines(r, line, r.metrics.categories)];
}

/** The lines `vidlens eval` prints without `--json`: the headline numbers overall, per domain (and per category). */
export function textSummary(report: EvalReport): string[] {
  if (report.kind === 'retrieval') return retrievalText(report);
  if (report.kind === 'classify') return classifyText(report);
  if (report.kind === 'multilabel') return multiLabelText(report);
  if (report.kind === 'moments') return momentsText(report);
  if (report.kind === 'forecast') return forecastText(report);
  if (report.kind === 'tracking') return trackingText(report);
  return qaText(report);
}
