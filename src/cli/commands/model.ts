import type { Command } from 'commander';
import { resolve } from 'node:path';
import { usageError } from '../../core/errors.js';
import { printJson, printLine } from '../output.js';
import { outputFolder } from '../outputs.js';
import { nonNegativeInteger, positiveInteger, positiveNumber } from '../parse.js';

/** The flag that sets each size (the message names what the user typed). */
const FLAG_OF: Partial<Record<string, string>> = { dim: '--dim', width: '--width', layers: '--layers', heads: '--heads', patch: '--patch', imageSize: '--image-size' };

interface TinyFlags {
  seed: number;
  dim?: number;
  width?: number;
  layers?: number;
  heads?: number;
  patch?: number;
  imageSize?: number;
  initStd?: number;
  b32?: boolean;
  json?: boolean;
}

export function registerModel(program: Command): void {
  const model = program.command('model').description('model utilities');
  model
    .command('tiny')
    .description('write a tiny randomly initialised CLIP (transformers.js layout) for offline tests and demos; its weights carry no meaning')
    .argument('<dir>', 'output folder')
    .option('--seed <n>', 'random seed', nonNegativeInteger, 0)
    .option('--dim <n>', 'embedding dimension (default 128)', positiveInteger)
    .option('--width <n>', 'transformer width (default 128)', positiveInteger)
    .option('--layers <n>', 'transformer layers (default 2)', positiveInteger)
    .option('--heads <n>', 'attention heads (default 4)', positiveInteger)
    .option('--patch <n>', 'patch size in pixels (default 8)', positiveInteger)
    .option('--image-size <n>', 'input frame size in pixels (default 64)', positiveInteger)
    .option('--init-std <x>', 'weight init standard deviation (default 0.02)', positiveNumber)
    .option('--b32', 'ViT-B/32 CLIP sizes (≈600 MB, for benchmarks)')
    .option('--json', 'print one JSON document')
    .action(async (dir: string, flags: TinyFlags) => {
      outputFolder('DIR', dir);
      const { B32_SIZES, TINY_DEFAULTS, tinySizeProblems, writeTinyModel } = await import('../../models/tiny/write.js');
      const sizes = {
        ...(flags.b32 ? B32_SIZES : {}),
        seed: flags.seed,
        ...(flags.dim ? { dim: flags.dim } : {}),
        ...(flags.width ? { width: flags.width } : {}),
        ...(flags.layers ? { layers: flags.layers } : {}),
        ...(flags.heads ? { heads: flags.heads } : {}),
        ...(flags.patch ? { patch: flags.patch } : {}),
        ...(flags.imageSize ? { imageSize: flags.imageSize } : {}),
        ...(flags.initStd ? { initStd: flags.initStd } : {}),
      };
      const problems = tinySizeProblems({ ...TINY_DEFAULTS, ...sizes });
      if (problems.length) throw usageError(problems.map((p) => `${FLAG_OF[p.option] ?? p.option} ${p.reason}`).join('\n'));
      const written = await writeTinyModel(dir, sizes);
      if (flags.json) printJson({ dir: resolve(dir), ...written });
      else printLine(`wrote a random-weight CLIP (dim ${written.dim}, width ${written.width}, ${written.layers} layers, ${written.imageSize}px) to ${resolve(dir)}`);
    });
  model
    .command('pretrained')
    .description('write the bundled pretrained model: a small CLIP trained on the synthetic world (lab domain) — it knows coloured shapes, not real footage')
    .argument('<dir>', 'output folder (must be empty or new)')
    .option('--force', 'overwrite the model files in a non-empty folder')
    .option('--json', 'print one JSON document')
    .action(async (dir: string, flags: { force?: boolean; json?: boolean }) => {
      const { writePretrainedModel } = await import('../../models/bundled.js');
      const files = await writePretrainedModel(dir, { force: flags.force });
      if (flags.json) printJson({ dir: resolve(dir), files });
      else printLine(`wrote the pretrained synthetic-world CLIP (${files.length} files) to ${resolve(dir)}`);
    });
}
