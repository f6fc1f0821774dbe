import type { Command } from 'commander';
import { Option } from 'commander';
import { inputError, usageError } from '../../core/errors.js';
import { ek100Relevancy, loadEk100Mir } from '../../eval/datasets/ek100.js';
import { mirMetricsParallel } from '../../eval/mir-parallel.js';
import { dualSoftmax, retrievalMetrics, type RankMetrics, type TiePolicy } from '../../eval/metrics/retrieval.js';
import { mirJson } from '../../eval/mir-report.js';
import { readNpy, writeNpy } from '../../util/npy.js';
import { transpose } from '../../util/matrix.js';
import { note, printJson, printLine } from '../output.js';
import { registerMetricsMoments } from './metrics-moments.js';
import { registerMetricsReadouts } from './metrics-readouts.js';
import { positiveNumber } from '../parse.js';

/** Metric functions throw RangeError on shape/value problems; the CLI names the file(s) involved. */
async function withFiles<T>(files: string, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RangeError) throw inputError(`${files}: ${error.message}`, error);
    throw error;
  }
}

const fmt = (v: number | null) => (v === null ? 'NaN' : v.toFixed(4));
const rankLine = (name: string, r: RankMetrics) =>
  `${name}  R@1 ${r.R1.toFixed(1)}  R@5 ${r.R5.toFixed(1)}  R@10 ${r.R10.toFixed(1)}  MedR ${r.MedR}  MnR ${r.MnR.toFixed(1)}  (n=${r.n})`;

export function registerMetrics(program: Command): void {
  const metrics = program.command('metrics').description('compute published metrics from saved matrices and files');
  registerMetricsMoments(metrics);
  registerMetricsReadouts(metrics);

  metrics
    .command('retrieval')
    .description('text–video retrieval R@1/5/10, MedR, MnR in both directions (MSR-VTT convention; ground truth on the diagonal)')
    .requiredOption('--sim <file.npy>', 'similarity matrix, texts × videos (square)')
    .addOption(new Option('--ties <policy>', 'rank of a ground truth tied with others').choices(['optimistic', 'average']).default('optimistic'))
    .option('--dsl [temperature]', 'also report a dual-softmax row (default temperature 0.01)', positiveNumber)
    .option('--json', 'print one JSON document')
    .action(async (flags: { sim: string; ties: TiePolicy; dsl?: number | true; json?: boolean }) => {
      const sim = await readNpy(flags.sim);
      const r = await withFiles(`--sim ${flags.sim}`, () => retrievalMetrics(sim, { ties: flags.ties }));
      const strip = ({ n: _n, ...rest }: RankMetrics) => rest;
      const out: Record<string, unknown> = { t2v: strip(r.t2v), v2t: strip(r.v2t), ties: r.ties, n: r.t2v.n };
      if (flags.dsl !== undefined) {
        const temperature = flags.dsl === true ? 0.01 : flags.dsl;
        const d = retrievalMetrics(dualSoftmax(sim, temperature), { ties: flags.ties });
        out.dsl = { temperature, t2v: strip(d.t2v), v2t: strip(d.v2t) };
      }
      if (flags.json) return printJson(out);
      printLine(`ties: ${r.ties}`);
      printLine(rankLine('text→video', r.t2v));
      printLine(rankLine('video→text', r.v2t));
      if (out.dsl) {
        const d = retrievalMetrics(dualSoftmax(sim, (out.dsl as { temperature: number }).temperature), { ties: flags.ties });
        printLine(rankLine('text→video (DSL)', d.t2v));
        printLine(rankLine('video→text (DSL)', d.v2t));
      }
    });

  metrics
    .command('mir')
    .description('EPIC-KITCHENS-100 multi-instance retrieval mAP and nDCG (both directions and average)')
    .requiredOption('--sim <file.npy>', 'similarity matrix, videos × sentences (see --sim-layout)')
    .option('--relevancy <file.npy>', 'relevancy matrix, videos × sentences, values in [0, 1] (required)')
    .addOption(
      new Option('--sim-layout <layout>', "rows and columns of --sim: 'sentences-videos' for the matrix eval retrieval --save-sim writes")
        .choices(['videos-sentences', 'sentences-videos'])
        .default('videos-sentences'),
    )
    // The name this flag had before it matched `--relevancy` everywhere else; still accepted.
    .addOption(new Option('--rel <file.npy>').hideHelp())
    .option('--json', 'print one JSON document')
    .action(async (flags: { sim: string; relevancy?: string; rel?: string; simLayout: 'videos-sentences' | 'sentences-videos'; json?: boolean }) => {
      const relPath = flags.relevancy ?? flags.rel;
      if (!relPath) throw usageError("required option '--relevancy <file.npy>' not specified");
      const [saved, rel] = await Promise.all([readNpy(flags.sim, { shared: true }), readNpy(relPath, { shared: true })]);
      const sim = flags.simLayout === 'sentences-videos' ? transpose(saved) : saved;
      const m = await withFiles(`--sim ${flags.sim} / --relevancy ${relPath}`, () => mirMetricsParallel(sim, rel));
      const out = mirJson(m);
      for (const w of m.warnings) note(`warning: ${w}`);
      if (flags.json) return printJson(out);
      printLine(`mAP   video→text ${fmt(out.mAP.v2t)}  text→video ${fmt(out.mAP.t2v)}  avg ${fmt(out.mAP.avg)}`);
      printLine(`nDCG  video→text ${fmt(out.nDCG.v2t)}  text→video ${fmt(out.nDCG.t2v)}  avg ${fmt(out.nDCG.avg)}`);
    });

  metrics
    .command('ek100-relevancy')
    .description('write the EK100 MIR relevancy matrix (videos × sentences, float32) built from the two CSVs')
    .requiredOption('--videos <csv>', 'EPIC_100_retrieval_test.csv')
    .requiredOption('--sentences <csv>', 'EPIC_100_retrieval_test_sentence.csv')
    .requiredOption('--out <file.npy>', 'output .npy')
    .option('--json', 'print one JSON document')
    .action(async (flags: { videos: string; sentences: string; out: string; json?: boolean }) => {
      const data = await loadEk100Mir(flags.videos, flags.sentences);
      const rel = ek100Relevancy(data);
      await writeNpy(flags.out, rel);
      let ones = 0;
      for (const v of rel.data) if (v === 1) ones++;
      const summary = { out: flags.out, rows: rel.rows, cols: rel.cols, ones };
      if (flags.json) printJson(summary);
      else printLine(`wrote ${rel.rows}×${rel.cols} relevancy (${ones} entries equal to 1) to ${flags.out}`);
    });
}
