import type { Command } from 'commander';
import { config } from '../../core/config.js';
import type { ImportOptions } from '../../indexing/import.js';
import { printJson, printLine } from '../output.js';
import { progressBar } from '../progress.js';

type ImportFlags = ImportOptions & { json?: boolean };

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('add segment vectors computed elsewhere (with the same model) to the index, as if vidlens index had made them')
    .requiredOption('--vectors <file.npy>', 'float32, rows × dim: one segment vector per row')
    .requiredOption('--segments <file.jsonl>', 'line i: {"video": PATH, "start": S, "end": E, "domain"?: D} for row i (relative paths from the file\'s folder)')
    .option('--frames <file.npy>', "float32, rows × (frames·dim): each segment's per-frame vectors (default: the segment vector in every frame slot)")
    .option('--db <dir>', 'index folder (env VIDLENS_DB)', config.db())
    .option('--model <id|dir>', "the model the vectors come from (default: the index's; another model is refused)")
    .option('--domain <name>', 'domain of the lines that give none')
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExample:\n  vidlens import --vectors gpu/vectors.npy --segments gpu/segments.jsonl --model Xenova/clip-vit-base-patch32 --db ./my-index')
    .action(async (flags: ImportFlags) => {
      const { runImport } = await import('../../indexing/import.js');
      const bar = progressBar();
      const summary = await runImport({ ...flags, onProgress: bar.update }).finally(() => bar.stop());
      if (flags.json) return printJson(summary);
      printLine(`imported ${summary.imported} video(s), ${summary.segments} segment(s) with ${summary.model.id}${summary.skipped ? `; ${summary.skipped} already indexed, skipped` : ''}`);
      if (summary.ann) printLine(`${summary.ann} the ANN index over the segments`);
    });
}
