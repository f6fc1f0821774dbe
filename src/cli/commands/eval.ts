import type { Command } from 'commander';
import { Option } from 'commander';
import { evalClassify } from '../../eval/run-classify.js';
import { evalRetrieval, type RetrievalFormat } from '../../eval/run-retrieval.js';
import type { TiePolicy } from '../../eval/metrics/retrieval.js';
import type { EvalReport } from '../../eval/report/types.js';
import { reportJson, writeReport } from '../../eval/report/write.js';
import { note, printLine } from '../output.js';
import { DEFAULT_DB, positiveInteger } from '../parse.js';
import { progressBar } from '../progress.js';

interface CommonFlags {
  db: string;
  dataset: string;
  model?: string;
  out?: string;
  json?: boolean;
}

async function finish(report: EvalReport, flags: CommonFlags, summary: (r: EvalReport) => string[]): Promise<void> {
  const written = flags.out ? await writeReport(flags.out, report) : undefined;
  for (const w of report.warnings) note(`warning: ${w}`);
  if (flags.json) {
    process.stdout.write(`${reportJson(report)}\n`);
    return;
  }
  for (const line of summary(report)) printLine(line);
  if (written) printLine(`wrote ${written.json} and ${written.html}`);
}

const n2 = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : 'NaN');
const n4 = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : 'NaN');

function retrievalSummary(r: EvalReport): string[] {
  const lines: string[] = [`${r.dataset.n} captions, model ${r.model?.id}`];
  const describe = (name: string, m: Record<string, unknown>) => {
    const ret = m.retrieval as { t2v: Record<string, number>; v2t: Record<string, number> };
    const mir = m.mir as { mAP: { avg: number | null }; nDCG: { avg: number | null } };
    lines.push(
      `${name.padEnd(12)} t2v R@1 ${n2(ret.t2v.R1)} R@5 ${n2(ret.t2v.R5)} R@10 ${n2(ret.t2v.R10)} MedR ${ret.t2v.MedR} | ` +
        `v2t R@1 ${n2(ret.v2t.R1)} R@5 ${n2(ret.v2t.R5)} | mAP ${n4(mir.mAP.avg)} nDCG ${n4(mir.nDCG.avg)}`,
    );
  };
  describe('all', r.metrics);
  for (const [d, s] of Object.entries(r.domains)) describe(d, s.metrics);
  return lines;
}

function classifySummary(r: EvalReport): string[] {
  const lines: string[] = [`${r.dataset.n} clips, ${(r.config.classes as string[]).length} classes, model ${r.model?.id}`];
  const describe = (name: string, m: Record<string, unknown>) => {
    const c = m.classify as Record<string, number | null>;
    lines.push(`${name.padEnd(12)} acc1 ${n2(c.acc1)}  acc5 ${n2(c.acc5)}  mean per-class recall ${n2(c.mean_per_class_recall)}`);
  };
  describe('all', r.metrics);
  for (const [d, s] of Object.entries(r.domains)) describe(d, s.metrics);
  return lines;
}

export function registerEval(program: Command): void {
  const evalCommand = program.command('eval').description('measure a model on labelled clips with published metrics');

  evalCommand
    .command('retrieval')
    .description('text↔video retrieval: R@K, MedR, MnR both ways, and EK100 mAP/nDCG with soft relevance, overall and per domain')
    .requiredOption('--dataset <file>', 'clips.jsonl (user format), an MSR-VTT 1k-A CSV, or EPIC_100_retrieval_test.csv')
    .option('--db <dir>', 'index folder: its model and sampling are used, clip features are cached there', DEFAULT_DB)
    .addOption(new Option('--format <format>', 'dataset format (default: from the file name)').choices(['jsonl', 'msrvtt', 'ek100']))
    .option('--videos-root <dir>', 'msrvtt/ek100: folder of the benchmark videos')
    .option('--sentences <csv>', 'ek100: EPIC_100_retrieval_test_sentence.csv')
    .option('--relevancy <file.npy>', 'relevancy matrix (clips × captions) instead of label overlap')
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .addOption(new Option('--ties <policy>', 'rank of a ground truth tied with others').choices(['optimistic', 'average']).default('optimistic'))
    .option('--limit <n>', 'evaluate only the first N clips', positiveInteger)
    .option('--save-sim <file.npy>', 'write the similarity matrix (captions × clips, float32)')
    .option('--out <dir>', 'write report.json and report.html here')
    .option('--json', 'print the report JSON')
    .addHelpText('after', '\nExamples:\n  vidlens eval retrieval --dataset clips.jsonl --out reports/zero-shot\n  vidlens eval retrieval --dataset synth/clips.jsonl --relevancy synth/relevancy.npy --json')
    .action(async (flags: CommonFlags & { format?: RetrievalFormat; videosRoot?: string; sentences?: string; relevancy?: string; ties: TiePolicy; limit?: number; saveSim?: string }) => {
      const bar = progressBar('frames');
      const report = await evalRetrieval({ ...flags, onProgress: (d, t, label) => bar.update(d, t, label) }).finally(() => bar.stop());
      await finish(report, flags, retrievalSummary);
    });

  evalCommand
    .command('classify')
    .description('zero-shot classification of clips over their labels: acc1, acc5, mean per-class recall, overall and per domain')
    .requiredOption('--dataset <file>', 'clips.jsonl (user format) with labels')
    .option('--db <dir>', 'index folder: its model and sampling are used, clip features are cached there', DEFAULT_DB)
    .option('--prompts <template...>', 'prompt templates with {} for the class name', ['a video of {}.'])
    .option('--label-prefix <prefix>', 'classify over labels with this prefix only, e.g. motion:')
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .option('--out <dir>', 'write report.json and report.html here')
    .option('--json', 'print the report JSON')
    .addHelpText('after', '\nExample:\n  vidlens eval classify --dataset clips.jsonl --label-prefix motion: --prompts "a video of something {}" "{}" --out reports/motion')
    .action(async (flags: CommonFlags & { prompts: string[]; labelPrefix?: string }) => {
      const bar = progressBar('frames');
      const report = await evalClassify({ ...flags, onProgress: (d, t, label) => bar.update(d, t, label) }).finally(() => bar.stop());
      await finish(report, flags, classifySummary);
    });
}
