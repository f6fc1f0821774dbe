import { z } from 'zod';
import type { ModelManifest } from './encoder.js';
import { assertTrainedOn } from './trained-on.js';
import { temporalPool, type TemporalHead } from './temporal-head.js';
import { l2NormalizeRows } from './vectors.js';
import { readWeightFolder, writeWeightFolder, type WeightFolder } from './weight-folder.js';

/**
 * A retrieval adapter: one linear head per modality, `y = normalise(W x + b)`, trained on frozen
 * features, the video side optionally pooling its frames through a temporal head first. Heads start
 * at the identity (and the temporal head at mean pooling), so an untrained adapter scores exactly as
 * the frozen model.
 */
export interface RetrievalAdapter {
  meta: AdapterMeta;
  text: { weight: Float32Array; bias: Float32Array };
  video: { weight: Float32Array; bias: Float32Array };
  temporal?: TemporalHead;
}

export const adapterMetaSchema = z.object({
  kind: z.literal('retrieval'),
  vidlens: z.string(),
  created: z.string(),
  /** The model whose features it was trained on: another model's features are refused. */
  model: z.object({ id: z.string(), sha256: z.string(), dim: z.number().int().positive() }),
  loss: z.string(),
  config: z.record(z.string(), z.unknown()),
  dataset: z.object({ path: z.string(), sha256: z.string(), train: z.number(), val: z.number() }),
  /** Validation score per epoch (what early stopping watched), and the epoch kept. */
  validation: z.object({ metric: z.string(), history: z.array(z.number()), best: z.number(), bestEpoch: z.number(), zeroShot: z.number() }),
  /** The video side's temporal head, when trained with one (weights follow the linear heads). */
  temporal: z.object({ steps: z.number().int().positive(), width: z.number().int().positive() }).nullable().optional(),
});

export type AdapterMeta = z.infer<typeof adapterMetaSchema>;

/** `W x + b` for each row of `x` (rows × dim), then L2-normalised rows. W is row-major dim × dim (out × in). */
export function applyHead(head: { weight: Float32Array; bias: Float32Array }, x: Float32Array, dim: number): Float32Array {
  const rows = x.length / dim;
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < dim; o++) {
      let s = head.bias[o];
      const w = o * dim;
      const xr = r * dim;
      for (let i = 0; i < dim; i++) s += head.weight[w + i] * x[xr + i];
      out[r * dim + o] = s;
    }
  }
  return l2NormalizeRows(out, dim);
}

/**
 * Video vectors through the adapter: the stored pooled vectors (`rows × dim`) through the video head,
 * or, with a temporal head, each row's frames (`rows × frames × dim`) pooled by it first.
 */
export function adaptVideo(adapter: Pick<RetrievalAdapter, 'video' | 'temporal'>, pooled: Float32Array, frames: Float32Array, frameCount: number, dim: number): Float32Array {
  const input = adapter.temporal ? temporalPool(adapter.temporal, frames, frameCount, dim) : pooled;
  return applyHead(adapter.video, input, dim);
}

/** Refuses an adapter trained on another model's features. */
export function assertAdapterFits(adapter: RetrievalAdapter, model: ModelManifest, dir: string): void {
  assertTrainedOn('--adapter', dir, adapter.meta.model, model, 'vidlens train retrieval');
}

const FOLDER: WeightFolder = { meta: 'adapter.json', what: 'an adapter', command: 'vidlens train retrieval' };

function temporalSizes(steps: number, width: number, dim: number): number[] {
  return [steps * dim, dim * width, dim * width, dim * width, width * dim];
}

/**
 * Writes `adapter.json` (config, model, validation) and `weights.bin` (float32: text W, b, video W, b,
 * then, with a temporal head, its pos, Wq, Wk, Wv, Wo).
 */
export async function saveAdapter(dir: string, adapter: RetrievalAdapter): Promise<void> {
  const t = adapter.temporal;
  const parts = [adapter.text.weight, adapter.text.bias, adapter.video.weight, adapter.video.bias, ...(t ? [t.pos, t.wq, t.wk, t.wv, t.wo] : [])];
  await writeWeightFolder(dir, FOLDER, { ...adapter.meta, temporal: t ? { steps: t.steps, width: t.width } : null }, parts);
}

/** A saved adapter, with the SHA-256 of its weights. */
export type LoadedAdapter = RetrievalAdapter & { sha256: string };

export async function loadAdapter(dir: string): Promise<LoadedAdapter> {
  const { meta, parts, sha256 } = await readWeightFolder('--adapter', dir, FOLDER, adapterMetaSchema, (m) => {
    const dim = m.model.dim;
    return [dim * dim, dim, dim * dim, dim, ...(m.temporal ? temporalSizes(m.temporal.steps, m.temporal.width, dim) : [])];
  });
  const [tw, tb, vw, vb, pos, wq, wk, wv, wo] = parts;
  const t = meta.temporal;
  return { sha256, meta, text: { weight: tw, bias: tb }, video: { weight: vw, bias: vb }, temporal: t ? { steps: t.steps, width: t.width, pos, wq, wk, wv, wo } : undefined };
}
