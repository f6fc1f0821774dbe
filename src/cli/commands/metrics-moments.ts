import { Option, type Command } from 'commander';
import type { MomentMetrics, MomentScope } from '../../eval/metrics/moments.js';
import { note, printJson, printLine } from '../output.js';

/** The published moment-retrieval table as text: R@K at each tIoU, mIoU, mAP. */
export function momentLines(m: MomentMetrics): string[] {
  const cells = Object.entries(m.recall).map(([k, byIoU]) => Object.entries(byIoU).map(([iou, r]) => `R@${k},${iou} ${r.toFixed(2)}`).join('  '));
  return [...cells, `mIoU ${m.mIoU.toFixed(2)}  mAP(0.5:0.95) ${m.mAP.toFixed(2)}  (n=${m.n}${m.empty ? `, ${m.empty} without predictions` : ''})`];
}

/** The JSON the `metrics moments` contract prints: `{recall, mIoU, mAP, n}` (plus the per-threshold mAP and the empty count). */
export const momentJson = (m: MomentMetrics) => ({ recall: m.recall, mIoU: m.mIoU, mAP: m.mAP, mAPByIoU: m.mAPByIoU, n: m.n, empty: m.empty });

export function registerMetricsMoments(metrics: Command): void {
  metrics
    .command('moments')
    .description('moment retrieval R@K at tIoU 0.3/0.5/0.7, mIoU and QVHighlights mAP from ranked spans and ground truth (JSON Lines)')
    .requiredOption('--pred <file.jsonl>', 'predictions: {"id", "predictions": [{"video", "start", "end", "score"}, ...]} per line')
    .requiredOption('--gt <file.jsonl>', 'ground truth: {"id", "video", "start", "end"} or {"id", "video", "windows": [[s, e], ...]} per line')
    .addOption(new Option('--scope <scope>', 'corpus: a prediction counts only in the query\'s video; video: its video is ignored').choices(['corpus', 'video']).default('corpus'))
    .option('--json', 'print one JSON document')
    .action(async (flags: { pred: string; gt: string; scope: MomentScope; json?: boolean }) => {
      const [{ loadMomentPredictions, loadMoments }, { momentMetrics }] = await Promise.all([import('../../eval/datasets/moments.js'), import('../../eval/metrics/moments.js')]);
      const [truth, predictions] = await Promise.all([loadMoments(flags.gt), loadMomentPredictions(flags.pred)]);
      const missing = truth.filter((t) => !predictions.has(t.id));
      if (missing.length) note(`warning: --pred ${flags.pred}: no predictions for ${missing.length} of ${truth.length} queries (e.g. id ${missing[0].id}); they score 0`);
      const known = new Set(truth.map((t) => t.id));
      const extra = [...predictions.keys()].filter((id) => !known.has(id));
      if (extra.length) note(`warning: --pred ${flags.pred}: ${extra.length} id(s) not in --gt ${flags.gt} were ignored (e.g. ${extra[0]})`);
      const m = momentMetrics(truth.map((t) => ({ truth: { video: t.video, windows: t.windows }, predictions: predictions.get(t.id) ?? [] })), flags.scope);
      if (flags.json) return printJson(momentJson(m));
      for (const line of momentLines(m)) printLine(line);
    });
}
