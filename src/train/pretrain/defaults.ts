import type { PretrainOptions } from './pretrain.js';

type Recipe = Omit<PretrainOptions, 'onProgress' | 'onLog'>;

/**
 * How the bundled model is pretrained (`npm run model:pretrain`): sized to finish in under 30 minutes
 * on 2 CPU cores with tfjs's WASM backend (BENCHMARKS.md). 64 px frames keep a small shape ~9 px across.
 * InfoNCE plus the attribute loss weighted towards shape (InfoNCE alone leaves shape at chance) plus the
 * patch loss (without it the attribute loss leaves patch tokens on which the point tracker falls below
 * its query-point control); 2,500 scenes, as 1,500 overfit the shape term.
 */
export const PRETRAIN_DEFAULTS: Recipe = {
  seed: 1,
  clips: 2500,
  heldOutClips: 100,
  framesPerClip: 12,
  epochs: 5,
  batch: 64,
  lr: 2e-3,
  weightDecay: 0.1,
  attributeWeights: { shape: 4, color: 1, size: 2 },
  patchWeight: 1,
  sizes: { imageSize: 64, patch: 8, width: 64, layers: 2, heads: 2, dim: 64, textWidth: 64, textLayers: 1, textHeads: 2 },
};

/**
 * The recipes BENCHMARKS.md compares the bundled one with (`npm run model:pretrain -- --recipe NAME --out DIR`):
 * InfoNCE alone on 1,500 scenes (the bundled model until the attribute and patch losses), and the bundled
 * recipe without the patch loss.
 */
export const PRETRAIN_RECIPES: Record<string, Recipe> = {
  default: PRETRAIN_DEFAULTS,
  infonce: { ...PRETRAIN_DEFAULTS, clips: 1500, epochs: 4, attributeWeights: { shape: 0, color: 0, size: 0 }, patchWeight: 0 },
  'no-patch-loss': { ...PRETRAIN_DEFAULTS, patchWeight: 0 },
};
