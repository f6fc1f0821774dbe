import type { PretrainOptions } from './pretrain.js';

type Recipe = Omit<PretrainOptions, 'onProgress' | 'onLog'>;

/**
 * How the bundled model is pretrained (`npm run model:pretrain`): sized to finish in under 30 minutes
 * on 2 CPU cores with tfjs's WASM backend (BENCHMARKS.md). 64 px frames keep a small shape ~9 px across.
 * InfoNCE plus the attribute loss weighted towards shape (InfoNCE alone leaves shape at chance) plus the
 * patch loss (without it the attribute loss leaves patch tokens on which the point tracker falls below
 * its query-point control). The shape term overfits the scenes it sees, so the frames come from many
 * scenes (5,000 × 6 frames rather than 2,500 × 12) and half are mirrored, which doubles the scenes again.
 */
export const PRETRAIN_DEFAULTS: Recipe = {
  seed: 1,
  clips: 5000,
  heldOutClips: 100,
  framesPerClip: 6,
  epochs: 5,
  batch: 64,
  lr: 2e-3,
  weightDecay: 0.1,
  attributeWeights: { shape: 4, color: 1, size: 2 },
  patchWeight: 1,
  sizes: { imageSize: 64, patch: 8, width: 64, layers: 2, heads: 2, dim: 64, textWidth: 64, textLayers: 1, textHeads: 2 },
  mirror: true,
};

/** The bundled recipe of 2026-12-04: 2,500 scenes × 12 frames, none mirrored. */
const PREVIOUS: Recipe = { ...PRETRAIN_DEFAULTS, clips: 2500, framesPerClip: 12, mirror: false };

/**
 * The recipes BENCHMARKS.md compares the bundled one with (`npm run model:pretrain -- --recipe NAME --out DIR`):
 * the bundled recipe without mirroring; the bundled recipe of 2026-12-04 (`previous`) and it without the patch
 * loss; InfoNCE alone on 1,500 scenes (the bundled model until the attribute and patch losses).
 */
export const PRETRAIN_RECIPES: Record<string, Recipe> = {
  default: PRETRAIN_DEFAULTS,
  'no-mirror': { ...PRETRAIN_DEFAULTS, mirror: false },
  previous: PREVIOUS,
  'no-patch-loss': { ...PREVIOUS, patchWeight: 0 },
  infonce: { ...PREVIOUS, clips: 1500, epochs: 4, attributeWeights: { shape: 0, color: 0, size: 0 }, patchWeight: 0 },
};
