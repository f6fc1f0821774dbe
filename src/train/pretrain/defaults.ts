import type { PretrainOptions } from './pretrain.js';

type Recipe = Omit<PretrainOptions, 'onProgress' | 'onLog'>;

/**
 * How the bundled model is pretrained (`npm run model:pretrain`): sized to finish in under 30 minutes
 * on 2 CPU cores with tfjs's WASM backend (BENCHMARKS.md). 64 px frames keep a small shape ~9 px across.
 * InfoNCE alone: shape is not learnt (31 % zero-shot on new frames, chance 25 %; `npm run bench:pretrained`).
 */
export const PRETRAIN_DEFAULTS: Recipe = {
  seed: 1,
  clips: 1500,
  heldOutClips: 100,
  framesPerClip: 12,
  epochs: 4,
  batch: 64,
  lr: 2e-3,
  weightDecay: 0.1,
  attributeWeights: { shape: 0, color: 0, size: 0 },
  sizes: { imageSize: 64, patch: 8, width: 64, layers: 2, heads: 2, dim: 64, textWidth: 64, textLayers: 1, textHeads: 2 },
};

/**
 * `npm run model:pretrain -- --recipe shape --out DIR`: the attribute loss weighted towards shape, on 2,500 scenes,
 * which learns shape (70 % zero-shot on new frames) but leaves patch tokens on which the point tracker
 * falls below its query-point control, so it is not the bundled model yet (BENCHMARKS.md).
 */
export const PRETRAIN_SHAPE_RECIPE: Recipe = { ...PRETRAIN_DEFAULTS, clips: 2500, epochs: 5, attributeWeights: { shape: 4, color: 1, size: 2 } };
