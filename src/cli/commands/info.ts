import { config } from '../../core/config.js';
import type { Command } from 'commander';
import { printJson, printLine } from '../output.js';


export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('describe an index: counts, model, sampling, domains')
    .option('--db <dir>', 'index folder (env VIDLENS_DB)', config.db())
    .option('--json', 'print one JSON document')
    .action(async (flags: { db: string; json?: boolean }) => {
      const { indexInfo } = await import('../../store/info.js');
      const info = await indexInfo(flags.db);
      if (flags.json) {
        printJson(info);
        return;
      }
      printLine(`videos    ${info.videos} (${info.hours.toFixed(2)} h)${info.missing ? `, ${info.missing} with the file gone (vidlens prune removes them)` : ''}`);
      printLine(`segments  ${info.segments}`);
      printLine(`model     ${info.model.id} (dim ${info.model.dim}, sha256 ${info.model.sha256.slice(0, 12)}…)`);
      printLine(`sampling  window ${info.sampling.window}s, stride ${info.sampling.stride}s, ${info.sampling.frames} frames${info.tta === 'flip' ? ', test-time flip' : ''}`);
      const domains = Object.entries(info.domains).map(([d, n]) => `${d || '(none)'}: ${n}`);
      if (domains.length) printLine(`domains   ${domains.join(', ')}`);
      const ann = info.ann;
      printLine(ann ? `ann       ${ann.kind}, ${ann.partitions ?? '?'} partitions, ${ann.indexedRows} segments in it${ann.unindexedRows ? `, ${ann.unindexedRows} not yet (searched exactly; vidlens optimize folds them in)` : ''}` : 'ann       none (searches scan every segment; vidlens index builds one from 100,000 segments, vidlens optimize --ann now)');
      for (const a of info.adapted) printLine(`adapted   ${a.key}: ${a.rows} segments through an adapter${a.ann ? `, ${a.ann.kind}` : ''}${a.current ? '' : ' (behind the index: the next search --adapter brings it up to date)'}`);
    });
}
