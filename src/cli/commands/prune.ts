import type { Command } from 'commander';
import { config } from '../../core/config.js';
import { printJson, printLine } from '../output.js';

export function registerPrune(program: Command): void {
  program
    .command('prune')
    .description('remove indexed videos whose file is gone, with their segments')
    .option('--db <dir>', 'index folder (env VIDLENS_DB)', config.db())
    .option('--dry-run', 'only list them')
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nA moved file keeps its vectors when it is indexed at its new place first.\n\nExample:\n  vidlens prune --db ./vidlens-db --dry-run')
    .action(async (flags: { db: string; dryRun?: boolean; json?: boolean }) => {
      const [{ Catalog }, { pruneGone }] = await Promise.all([import('../../store/catalog.js'), import('../../indexing/prune.js')]);
      const catalog = await Catalog.open(flags.db, { create: false });
      const gone = await pruneGone(catalog, { dryRun: flags.dryRun });
      const videos = gone.map((v) => ({ id: v.id, path: v.path, segments: v.segments }));
      if (flags.json) return printJson({ removed: flags.dryRun ? [] : videos, gone: videos, dryRun: Boolean(flags.dryRun) });
      if (gone.length === 0) printLine('every indexed video is still on disk; nothing to prune');
      for (const v of gone) printLine(`${flags.dryRun ? 'would remove' : 'removed'} ${v.path} (${v.segments} segment(s))`);
      if (gone.length && flags.dryRun) printLine(`${gone.length} video(s) gone; run without --dry-run to remove them`);
    });
}
