import type { Command } from 'commander';
import { resolve } from 'node:path';
import { SYNTH_DEFAULTS } from '../../synth/defaults.js';
import { DOMAINS } from '../../synth/grammar.js';
import { printJson, printLine } from '../output.js';
import { nonNegativeInteger, positiveInteger, positiveNumber } from '../parse.js';
import { outputFolder } from '../outputs.js';
import { progressBar } from '../progress.js';

interface SynthFlags {
  out: string;
  seed: number;
  perDomain: number;
  domains: string;
  size: number;
  fps: number;
  seconds: number;
  json?: boolean;
}

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('generate a deterministic synthetic cross-domain video benchmark with known ground truth')
    .requiredOption('--out <dir>', 'output folder')
    .option('--seed <n>', 'random seed', nonNegativeInteger, SYNTH_DEFAULTS.seed)
    .option('--per-domain <n>', 'clips per domain', positiveInteger, SYNTH_DEFAULTS.perDomain)
    .option('--domains <list>', `comma-separated domains (${DOMAINS.join(',')})`, DOMAINS.join(','))
    .option('--size <px>', 'frame size in pixels', positiveInteger, SYNTH_DEFAULTS.size)
    .option('--fps <n>', 'frames per second', positiveNumber, SYNTH_DEFAULTS.fps)
    .option('--seconds <s>', 'clip length in seconds', positiveNumber, SYNTH_DEFAULTS.seconds)
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExample:\n  vidlens synth --out ./synth --seed 7 --per-domain 60')
    .action(async (flags: SynthFlags) => {
      outputFolder('--out', flags.out);
      const { generateSynth, parseDomains } = await import('../../synth/generate.js');
      const bar = progressBar();
      const summary = await generateSynth({
        out: resolve(flags.out), seed: flags.seed, perDomain: flags.perDomain, domains: parseDomains(flags.domains),
        size: flags.size, fps: flags.fps, seconds: flags.seconds,
        onProgress: bar.update,
      }).finally(() => bar.stop());
      if (flags.json) return printJson(summary);
      printLine(`wrote ${summary.clips} clips, ${summary.captions} captions, ${summary.questions} questions to ${summary.out} in ${summary.seconds.toFixed(1)} s`);
    });
}
