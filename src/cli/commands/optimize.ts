import type { Command } from 'commander';
import { config } from '../../core/config.js';
import { inputError } from '../../core/errors.js';
import { printJson, printLine } from '../output.js';

export function registerOptimize(program: Command): void {
  program
    .command('optimize')
    .description("rebuild the ANN index over every segment (or build it once the index is large enough) and compact the tables, adapters' copies included")
    .option('--db <dir>', 'index folder (env VIDLENS_DB)', config.db())
    .option('--ann', 'build the ANN index now, even below the threshold (needs 256 segments)')
    .option('--drop-adapted', "remove every adapter's copy of the segment vectors (e.g. of adapters no longer used); a search through an adapter makes its copy again")
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nvidlens index builds the ANN index by itself from VIDLENS_ANN_THRESHOLD (default 100,000) segments\nand folds new segments in once a tenth are outside it; search --exact bypasses it.\n\nExample:\n  vidlens optimize --db ./vidlens-db')
    .action(async (flags: { db: string; ann?: boolean; dropAdapted?: boolean; json?: boolean }) => {
      const [{ Catalog }, { optimizeIndex }] = await Promise.all([import('../../store/catalog.js'), import('../../indexing/ann.js')]);
      const catalog = await Catalog.open(flags.db, { create: false });
      const started = performance.now();
      const result = await optimizeIndex(catalog, { force: flags.ann, dropAdapted: flags.dropAdapted }).catch((error: unknown) => {
        throw error instanceof RangeError ? inputError(`--db ${flags.db}: ${error.message}`) : error;
      });
      const seconds = (performance.now() - started) / 1000;
      if (flags.json) return printJson({ ...result, seconds, manifest: catalog.manifest?.ann ?? null });
      const what = result.action ? `${result.action} the ANN index (${catalog.manifest?.ann?.partitions} partitions, ${result.state?.indexedRows} segments)` : 'no ANN index (below the threshold; --ann builds one anyway)';
      printLine(`${what}; compacted in ${seconds.toFixed(1)} s`);
      for (const copy of result.adapted) printLine(`adapter copy ${copy.key}: ${copy.action}`);
    });
}
