import { Command, CommanderError } from 'commander';
import { VidlensError } from '../core/errors.js';
import { DAMAGED_ADVICE, isLanceError, lanceReason, StoreError } from '../store/errors.js';
import { VERSION } from '../core/version.js';
import { registerAsk } from './commands/ask.js';
import { registerEval } from './commands/eval.js';
import { registerImport } from './commands/import.js';
import { registerIndex } from './commands/index.js';
import { registerInfo } from './commands/info.js';
import { registerMetrics } from './commands/metrics.js';
import { registerModel } from './commands/model.js';
import { registerOptimize } from './commands/optimize.js';
import { registerPrune } from './commands/prune.js';
import { registerWorker } from './commands/worker.js';
import { registerRepair } from './commands/repair.js';
import { registerSearch } from './commands/search.js';
import { registerServe } from './commands/serve.js';
import { registerSynth } from './commands/synth.js';
import { registerTrain } from './commands/train.js';
import { note } from './output.js';
import { config } from '../core/config.js';

/** Exit codes of the CLI contract. */
export const EXIT = { ok: 0, partial: 1, usage: 2 } as const;

function buildProgram(): Command {
  const program = new Command('vidlens')
    .description('Find moments in your own footage by text, ask questions about clips, and measure how well a model works on your domain.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerIndex(program);
  registerImport(program);
  registerSearch(program);
  registerInfo(program);
  registerModel(program);
  registerMetrics(program);
  registerEval(program);
  registerSynth(program);
  registerAsk(program);
  registerTrain(program);
  registerRepair(program);
  registerPrune(program);
  registerWorker(program);
  registerOptimize(program);
  registerServe(program);
  return program;
}

/** Runs the CLI and returns the exit code: 0 success, 1 partial failure, 2 usage or input error. */
export async function main(argv: string[]): Promise<number> {
  process.exitCode = EXIT.ok;
  // A closed pipe (`vidlens search … | head`) is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  try {
    await buildProgram().parseAsync(argv);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof StoreError) {
      note(`vidlens: --db ${error.message}`);
      return EXIT.usage;
    }
    if (isLanceError(error)) {
      note(`vidlens: the index could not be read (${lanceReason(error)}); it may be damaged: ${DAMAGED_ADVICE}`);
      return EXIT.usage;
    }
    if (error instanceof VidlensError) {
      note(`vidlens: ${error.message}`);
      return error.kind === 'runtime' ? EXIT.partial : EXIT.usage;
    }
    note(`vidlens: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    if (config.debug() && error instanceof Error) note(error.stack ?? '');
    return EXIT.partial;
  }
}
