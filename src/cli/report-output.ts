import type { EvalReport } from '../eval/report/types.js';
import { note, printLine } from './output.js';

/**
 * How every `eval` command ends: the report written to `--out` (JSON and HTML) when given, its warnings
 * on stderr, then the report as JSON with `--json`, else its text summary.
 */
export async function finishReport(report: EvalReport, flags: { out?: string; json?: boolean }): Promise<void> {
  const { reportJson, writeReport } = await import('../eval/report/write.js');
  const { textSummary } = await import('../eval/report/text.js');
  const written = flags.out ? await writeReport(flags.out, report) : undefined;
  for (const w of report.warnings) note(`warning: ${w}`);
  if (flags.json) {
    process.stdout.write(`${reportJson(report)}\n`);
    return;
  }
  for (const line of textSummary(report)) printLine(line);
  if (written) printLine(`wrote ${written.json} and ${written.html}`);
}
