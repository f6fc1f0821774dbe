import { mkdir, writeFile } from 'node:fs/promises';
import { usageError } from '../../core/errors.js';
import { join } from 'node:path';
import { clipTokenizerConfig, clipTokenizerJson, END_TOKEN, START_TOKEN } from './tokenizer.js';
import type { PresetWeights } from './graph.js';
import { textTower, visionTower } from './towers.js';

/** Sizes of a randomly initialised CLIP; the defaults make the tiny test model. */
export interface TinyModelOptions {
  seed: number;
  /** Output (projection) dimension. */
  dim: number;
  /** Transformer width of both towers. */
  width: number;
  layers: number;
  heads: number;
  patch: number;
  imageSize: number;
  /** Standard deviation of the random weights. */
  initStd: number;
  /** Text tower width and layers, when they differ from the vision tower's (as in ViT-B/32 CLIP). */
  textWidth?: number;
  textLayers?: number;
  textHeads?: number;
}

/**
 * Small enough for tests, informative enough for probes: at std 0.02 (CLIP's init scale),
 * width 128, 2 layers, patch 8 on 64 px, features keep colour and coarse position (DESIGN.md).
 */
export const TINY_DEFAULTS: TinyModelOptions = { seed: 0, dim: 128, width: 128, layers: 2, heads: 4, patch: 8, imageSize: 64, initStd: 0.02 };

/** ViT-B/32 CLIP sizes (≈150 M parameters, ≈600 MB on disk): for benchmarks, with random weights. */
export const B32_SIZES: Partial<TinyModelOptions> = {
  dim: 512, width: 768, layers: 12, heads: 12, patch: 32, imageSize: 224, textWidth: 512, textLayers: 12, textHeads: 8,
};

const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073];
const CLIP_STD = [0.26862954, 0.26130258, 0.27577711];
export const MAX_TEXT_POSITIONS = 77;

/** CLIP's `preprocessor_config.json` for square frames of `imageSize` pixels (what indexing, and pretraining, feed the model). */
export function clipPreprocessorConfig(imageSize: number): Record<string, unknown> {
  return {
    image_processor_type: 'CLIPImageProcessor',
    feature_extractor_type: 'CLIPFeatureExtractor',
    do_resize: true,
    size: { shortest_edge: imageSize },
    resample: 3,
    do_center_crop: true,
    crop_size: { height: imageSize, width: imageSize },
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: CLIP_MEAN,
    image_std: CLIP_STD,
    do_convert_rgb: true,
  };
}

/** Trained weights of both towers, by ONNX initializer name, and the whole-word tokens their tokenizer has. */
export interface ClipWeights {
  vision: PresetWeights;
  text: PresetWeights;
  words: string[];
}

/**
 * Writes a randomly initialised CLIP in the exact transformers.js folder layout. Its weights carry
 * no meaning: search results are arbitrary, but every code path (decode, embed, store, search,
 * evaluate, train) runs offline against it.
 */
/** Upper bounds on a written CLIP's sizes: ViT-L/14's, with room; beyond them the graph no longer fits in memory. */
export const TINY_LIMITS = { dim: 4096, width: 2048, layers: 48, heads: 64, imageSize: 1024 } as const;

/** One problem with a set of sizes: the option at fault and why. */
export interface SizeProblem {
  option: keyof TinyModelOptions;
  reason: string;
}

/** What is wrong with a set of sizes (empty when they are usable). */
export function tinySizeProblems(o: TinyModelOptions): SizeProblem[] {
  const problems: SizeProblem[] = [];
  for (const [option, max] of Object.entries(TINY_LIMITS) as Array<[keyof typeof TINY_LIMITS, number]>) {
    if (o[option] > max) problems.push({ option, reason: `${o[option]} is above the limit of ${max}` });
  }
  if (o.patch > o.imageSize) problems.push({ option: 'patch', reason: `${o.patch} is larger than the image size ${o.imageSize}` });
  else if (o.imageSize % o.patch !== 0) problems.push({ option: 'patch', reason: `${o.patch} does not divide the image size ${o.imageSize}` });
  if (o.width % o.heads !== 0) problems.push({ option: 'heads', reason: `${o.heads} does not divide the width ${o.width}` });
  return problems;
}

export async function writeTinyModel(dir: string, options: Partial<TinyModelOptions> = {}): Promise<TinyModelOptions> {
  const o: TinyModelOptions = { ...TINY_DEFAULTS, ...options };
  await writeClipModel(dir, o, { vidlens_tiny: { ...o, note: 'random weights: no semantic meaning' } });
  return o;
}

/**
 * Writes a CLIP of the given sizes in the transformers.js folder layout: random weights, or `trained`
 * ones (which must name every weight of both graphs). `about` is recorded in config.json.
 */
export async function writeClipModel(dir: string, o: TinyModelOptions, about: Record<string, unknown>, trained?: ClipWeights): Promise<void> {
  const problems = tinySizeProblems(o);
  if (problems.length) throw usageError(`cannot build this model: ${problems.map((p) => `${p.option} ${p.reason}`).join('; ')}`);
  const textWidth = o.textWidth ?? o.width;
  const textLayers = o.textLayers ?? o.layers;
  const textHeads = o.textHeads ?? o.heads;
  const { json: tokenizer, vocabSize } = clipTokenizerJson(trained?.words);

  await mkdir(join(dir, 'onnx'), { recursive: true });
  const vision = visionTower({ imageSize: o.imageSize, patchSize: o.patch, width: o.width, layers: o.layers, heads: o.heads }, o.dim, o.initStd, o.seed, trained?.vision);
  await writeFile(join(dir, 'onnx', 'vision_model.onnx'), vision);
  const text = textTower(
    { vocabSize, maxPositions: MAX_TEXT_POSITIONS, width: textWidth, layers: textLayers, heads: textHeads },
    o.dim,
    o.initStd,
    o.seed + 1,
    trained?.text,
  );
  await writeFile(join(dir, 'onnx', 'text_model.onnx'), text);

  const config = {
    model_type: 'clip',
    architectures: ['CLIPModel'],
    projection_dim: o.dim,
    ...about,
    text_config: {
      model_type: 'clip_text_model', hidden_size: textWidth, num_hidden_layers: textLayers, num_attention_heads: textHeads,
      intermediate_size: 4 * textWidth, max_position_embeddings: MAX_TEXT_POSITIONS, vocab_size: vocabSize,
      bos_token_id: vocabSize - 2, eos_token_id: vocabSize - 1, pad_token_id: vocabSize - 1, projection_dim: o.dim,
    },
    vision_config: {
      model_type: 'clip_vision_model', hidden_size: o.width, num_hidden_layers: o.layers, num_attention_heads: o.heads,
      intermediate_size: 4 * o.width, image_size: o.imageSize, patch_size: o.patch, projection_dim: o.dim,
    },
  };
  const tokenizerConfig = clipTokenizerConfig(MAX_TEXT_POSITIONS);
  const json = (value: object) => `${JSON.stringify(value, null, 2)}\n`;
  await writeFile(join(dir, 'config.json'), json(config));
  await writeFile(join(dir, 'preprocessor_config.json'), json(clipPreprocessorConfig(o.imageSize)));
  await writeFile(join(dir, 'tokenizer.json'), json(tokenizer));
  await writeFile(join(dir, 'tokenizer_config.json'), json(tokenizerConfig));
  await writeFile(join(dir, 'special_tokens_map.json'), json({ bos_token: START_TOKEN, eos_token: END_TOKEN, pad_token: END_TOKEN, unk_token: END_TOKEN }));
}
