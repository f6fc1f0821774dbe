import type { OnProgress } from '../core/events.js';
import { clipFeatures, resolveClips } from '../features/clip-features.js';
import { openIndex } from '../indexing/open.js';
import { clipTokens } from '../features/clip-tokens.js';
import type { ReadoutFeatures } from '../heads/forecast/forecaster.js';
import type { ClipSpan } from '../features/clip-features.js';
import type { ForecastData } from './forecast-data.js';

/**
 * The index's model and the frozen features of `clips` as a readout takes them, `clips × steps × dim`:
 * per-frame pooled vectors (steps = frames), or every frame's patch tokens (steps = frames × tokens,
 * dim = the tower's width, `grid` the patches per side); `none`: only the clips' resolved spans (what a
 * control needs), nothing embedded.
 */
export async function readoutFeatures(clips: ClipSpan[], path: string, o: { db: string; model?: string; features: ReadoutFeatures | 'none'; onProgress?: OnProgress }) {
  const { catalog, encoder } = await openIndex(o.db, { model: o.model, create: true });
  try {
    const sampling = catalog.manifest!.sampling;
    const base = { model: encoder.manifest, sampling, frames: sampling.frames };
    if (o.features === 'pooled') {
      const pooled = await clipFeatures(clips, path, encoder, catalog, { onProgress: o.onProgress });
      return { ...base, spans: pooled.spans, embedded: pooled.embedded, x: pooled.frameVectors, steps: pooled.frames, dim: pooled.dim, grid: 0 };
    }
    if (o.features === 'none') {
      const { spans } = await resolveClips(clips, path);
      return { ...base, spans, embedded: 0, x: new Float32Array(0), steps: 0, dim: encoder.manifest.dim, grid: 0 };
    }
    const tokens = await clipTokens(clips, path, encoder, sampling.frames, { onProgress: o.onProgress });
    return { ...base, spans: tokens.spans, embedded: clips.length, x: tokens.data, steps: tokens.frames * tokens.tokens, dim: tokens.width, grid: tokens.grid };
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
