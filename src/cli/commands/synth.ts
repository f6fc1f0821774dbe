import { Option, type Command } from 'commander';
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
  layout: 'clips' | 'long';
  scenes: number;
  json?: boolean;
}

/** Long videos per domain when `--layout long` is given without `--per-domain`. */
const LONG_PER_DOMAIN = 4;

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
    .addOption(new Option('--layout <layout>', `clips: one scene per clip; long: videos of several 3–10 s scenes with moment queries (moments.jsonl; default ${LONG_PER_DOMAIN} videos per domain)`).choices(['clips', 'long']).default('clips'))
    .option('--scenes <n>', 'with --layout long: scenes per video', positiveInteger, 8)
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExamples:\n  vidlens synth --out ./synth --seed 7 --per-domain 60\n  vidlens synth --out ./moments --layout long --per-domain 4 --scenes 8')
    .action(async (flags: SynthFlags, command: Command) => {
      outputFolder('--out', flags.out);
      if (flags.layout === 'long') {
        const { generateLongSynth } = await import('../../synth/long.js');
        const { parseDomains } = await import('../../synth/generate.js');
        const bar = progressBar();
        const summary = await generateLongSynth({
          out: resolve(flags.out), seed: flags.seed, domains: parseDomains(flags.domains), size: flags.size, fps: flags.fps, scenes: flags.scenes,
          perDomain: command.getOptionValueSource('perDomain') === 'default' ? LONG_PER_DOMAIN : flags.perDomain,
          onProgress: bar.update,
        }).finally(() => bar.stop());
        if (flags.json) return printJson(summary);
        printLine(`wrote ${summary.videos} long videos (${(summary.duration / 60).toFixed(1)} min, ${summary.scenes} scenes) and ${summary.moments} moment queries to ${summary.out} in ${summary.seconds.toFixed(1)} s`);
        return;
      }
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
