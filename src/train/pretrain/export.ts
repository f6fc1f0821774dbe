import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeClipModel, type TinyModelOptions } from '../../models/tiny/write.js';
import { exportWeights, type ClipSizes } from './clip-tf.js';
import type { PretrainOptions, PretrainResult } from './pretrain.js';

/** The writer's options for a trained CLIP of these sizes (no random weights are drawn: `initStd` is unused). */
export function clipModelOptions(sizes: ClipSizes, seed: number): TinyModelOptions {
  const { dim, width, layers, heads, patch, imageSize, textWidth, textLayers, textHeads } = sizes;
  return { seed, dim, width, layers, heads, patch, imageSize, initStd: 0, textWidth, textLayers, textHeads };
}

/**
 * Writes a pretrained CLIP as a transformers.js model folder (the same layout and ONNX graphs as
 * `vidlens model tiny`, with the trained weights), plus `pretraining.json`: how it was trained, on
 * what, and its curves.
 */
export async function writePretrained(dir: string, result: PretrainResult, options: Omit<PretrainOptions, 'onProgress' | 'onLog'>, seconds: number): Promise<void> {
  const { sizes } = result;
  const weights = exportWeights(result.params, sizes);
  const about = {
    vidlens_pretrained: {
      what: 'a CLIP of the synthetic world of vidlens synth (coloured shapes on a plain lab background), not of real footage',
      trained_by: 'npm run model:pretrain',
      frames: result.data.trainFrames,
      seconds: Math.round(seconds),
    },
  };
  await writeClipModel(dir, clipModelOptions(sizes, options.seed), about, { ...weights, words: result.words });
  const record = { options, sizes, words: result.words, data: result.data, seconds, history: result.history };
  await writeFile(join(dir, 'pretraining.json'), `${JSON.stringify(record, null, 1)}\n`);
}
