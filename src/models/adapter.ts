import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { usageError } from '../errors.js';
import type { ModelManifest } from './encoder.js';
import { assertTrainedOn } from './trained-on.js';
import { temporalPool, type TemporalHead } from './temporal-head.js';
import { l2NormalizeRows } from './vectors.js';

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

const FILES = { meta: 'adapter.json', weights: 'weights.bin' };

function temporalSizes(steps: number, width: number, dim: number): number[] {
  return [steps * dim, dim * width, dim * width, dim * width, width * dim];
}

/**
 * Writes `adapter.json` (config, model, validation) and `weights.bin` (float32: text W, b, video W, b,
 * then, with a temporal head, its pos, Wq, Wk, Wv, Wo).
 */
export async function saveAdapter(dir: string, adapter: RetrievalAdapter): Promise<void> {
  await mkdir(dir, { recursive: true });
  const t = adapter.temporal;
  const parts = [adapter.text.weight, adapter.text.bias, adapter.video.weight, adapter.video.bias, ...(t ? [t.pos, t.wq, t.wk, t.wv, t.wo] : [])];
  const meta = { ...adapter.meta, temporal: t ? { steps: t.steps, width: t.width } : null };
  await writeFile(join(dir, FILES.weights), Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  await writeFile(join(dir, FILES.meta), `${JSON.stringify(meta, null, 2)}\n`);
}

export async function loadAdapter(dir: string): Promise<RetrievalAdapter> {
  let metaText: string;
  let bytes: Buffer;
  try {
    [metaText, bytes] = await Promise.all([readFile(join(dir, FILES.meta), 'utf8'), readFile(join(dir, FILES.weights))]);
  } catch {
    throw usageError(`--adapter ${dir}: not an adapter folder (expected ${FILES.meta} and ${FILES.weights}; see 'vidlens train retrieval')`);
  }
  const parsed = adapterMetaSchema.safeParse(JSON.parse(metaText));
  if (!parsed.success) throw usageError(`--adapter ${dir}: ${FILES.meta} is not valid (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
  const dim = parsed.data.model.dim;
  const t = parsed.data.temporal;
  const temporalFloats = t ? temporalSizes(t.steps, t.width, dim).reduce((a, b) => a + b, 0) : 0;
  const expected = 4 * (2 * dim * dim + 2 * dim + temporalFloats);
  if (bytes.length !== expected) throw usageError(`--adapter ${dir}: ${FILES.weights} has ${bytes.length} bytes, expected ${expected} for dim ${dim}${t ? ' with a temporal head' : ''}`);
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  let at = 0;
  const take = (n: number) => floats.slice(at, (at += n));
  return {
    meta: parsed.data,
    text: { weight: take(dim * dim), bias: take(dim) },
    video: { weight: take(dim * dim), bias: take(dim) },
    temporal: t ? { steps: t.steps, width: t.width, pos: take(t.steps * dim), wq: take(dim * t.width), wk: take(dim * t.width), wv: take(dim * t.width), wo: take(t.width * dim) } : undefined,
  };
}
