import type { Command } from 'commander';
import { config } from '../../core/config.js';
import { printJson, printLine } from '../output.js';

export function registerRepair(program: Command): void {
  program
    .command('repair')
    .description("rebuild a lost or damaged index manifest from what the index's tables record (model, sampling, augmentation)")
    .option('--db <dir>', 'index folder (env VIDLENS_DB)', config.db())
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExample:\n  vidlens repair --db ./vidlens-db')
    .action(async (flags: { db: string; json?: boolean }) => {
      const { Catalog } = await import('../../store/catalog.js');
      const manifest = await Catalog.repairManifest(flags.db);
      if (flags.json) printJson({ repaired: true, model: manifest.model, sampling: manifest.sampling, tta: manifest.tta });
      else printLine(`rebuilt ${flags.db}/vidlens-manifest.json: ${manifest.model.id} (dim ${manifest.model.dim}), window ${manifest.sampling.window}s, stride ${manifest.sampling.stride}s, ${manifest.sampling.frames} frames`);
    });
}
