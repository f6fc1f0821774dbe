import type { OnProgress } from '../core/events.js';
import { clipFeatures } from '../features/clip-features.js';
import { openIndex } from '../indexing/open.js';
import { clipTokens } from '../features/clip-tokens.js';
import type { ReadoutFeatures } from '../heads/forecast/forecaster.js';
import type { ClipSpan } from '../features/clip-features.js';
import type { ForecastData } from './forecast-data.js';

/**
 * The index's model and the frozen features of `clips` as a readout takes them, `clips × steps × dim`:
 * per-frame pooled vectors (steps = frames), or every frame's patch tokens (steps = frames × tokens,
 * dim = the tower's width, `grid` the patches per side).
 */
export async function readoutFeatures(clips: ClipSpan[], path: string, o: { db: string; model?: string; features: ReadoutFeatures; onProgress?: OnProgress }) {
  const { catalog, encoder } = await openIndex(o.db, { model: o.model, create: true });
  try {
    const pooled = await clipFeatures(clips, path, encoder, catalog, { onProgress: o.onProgress });
    const base = { spans: pooled.spans, embedded: pooled.embedded, model: encoder.manifest, sampling: catalog.manifest!.sampling };
    if (o.features === 'pooled') return { ...base, x: pooled.frameVectors, frames: pooled.frames, steps: pooled.frames, dim: pooled.dim, grid: 0 };
    const tokens = await clipTokens(clips, path, encoder, pooled.frames, { onProgress: o.onProgress });
    return { ...base, x: tokens.data, frames: tokens.frames, steps: tokens.frames * tokens.tokens, dim: tokens.width, grid: tokens.grid };
  } finally {
    await encoder.dispose();
  }
}

/** Per clip of the dataset, its forecast from `predictions` (`idx.length × leadSteps × valueSize`, in `idx` order), null elsewhere. */
export function forecastsByClip(d: ForecastData, idx: number[], predictions: Float32Array): Array<number[][] | null> {
  const out: Array<number[][] | null> = d.values.map(() => null);
  const per = d.leadSteps * d.valueSize;
  idx.forEach((clip, k) => {
    out[clip] = Array.from({ length: d.leadSteps }, (_, t) => Array.from(predictions.subarray(k * per + t * d.valueSize, k * per + (t + 1) * d.valueSize)));
  });
  return out;
}
