import type { PretrainOptions } from './pretrain.js';

/**
 * How the bundled model is pretrained (`npm run model:pretrain`): sized to finish in under 30 minutes
 * on 2 CPU cores with tfjs's WASM backend (BENCHMARKS.md). 64 px frames keep a small shape ~9 px across.
 * Shape is not learnt at this size (31 % zero-shot on new frames, chance 25 %; `npm run bench:pretrained`).
 */
export const PRETRAIN_DEFAULTS: Omit<PretrainOptions, 'onProgress' | 'onLog'> = {
  seed: 1,
  clips: 1500,
  heldOutClips: 100,
  framesPerClip: 12,
  epochs: 4,
  batch: 64,
  lr: 2e-3,
  weightDecay: 0.1,
  sizes: { imageSize: 64, patch: 8, width: 64, layers: 2, heads: 2, dim: 64, textWidth: 64, textLayers: 1, textHeads: 2 },
};
