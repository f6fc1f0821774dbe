import { createHash } from 'node:crypto';
import { z } from 'zod';
import { transpose } from '../../util/matrix.js';
import { splitPositional, type HeadKind } from '../folder.js';
import { applyLinear, linearSpec } from '../linear/linear.js';
import type { HeadSpec, HeadWeights } from '../spec.js';
import { temporalPool, temporalPoolSpec, type TemporalPoolShape } from '../temporal-pool/temporal-pool.js';
import { headMetaSchema } from '../trained-on.js';

/**
 * A retrieval adapter: one linear head per modality (`text.*`, `video.*`) trained on frozen
 * features, the video side optionally pooling its frames through a temporal pooling head
 * (`temporal.*`) first. Heads start at the identity and the temporal head at mean pooling, so an
 * untrained adapter scores exactly as the frozen model.
 */
export interface AdapterHeads {
  weights: HeadWeights;
  temporal?: TemporalPoolShape;
}

export const adapterMetaSchema = headMetaSchema.extend({
  kind: z.literal('retrieval'),
  loss: z.string(),
  /** Validation score per epoch (what early stopping watched), and the epoch kept. */
  validation: z.object({ metric: z.string(), history: z.array(z.number()), best: z.number(), bestEpoch: z.number(), zeroShot: z.number() }),
  /** The video side's temporal pooling head, when trained with one. */
  temporal: z.object({ steps: z.number().int().positive(), width: z.number().int().positive() }).nullable().optional(),
});

export type AdapterMeta = z.infer<typeof adapterMetaSchema>;

export interface RetrievalAdapter extends AdapterHeads {
  meta: AdapterMeta;
}

export function adapterSpec(dim: number, temporal?: TemporalPoolShape | null): HeadSpec {
  return [...linearSpec('text', dim), ...linearSpec('video', dim), ...(temporal ? temporalPoolSpec(temporal, dim) : [])];
}

/** A short hash of the video side's weights and shape: what names the adapter's stored copy of the segment vectors (a retrained adapter gets a new one). */
export function videoHeadKey(adapter: AdapterHeads): string {
  const hash = createHash('sha256').update(JSON.stringify(adapter.temporal ?? null));
  for (const name of Object.keys(adapter.weights).filter((n) => !n.startsWith('text.')).sort()) {
    const w = adapter.weights[name];
    hash.update(name).update(new Uint8Array(w.buffer, w.byteOffset, w.byteLength));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Caption (or query) vectors `rows × dim` through the text head. */
export function adaptText(adapter: AdapterHeads, x: Float32Array, dim: number): Float32Array {
  return applyLinear(adapter.weights, 'text', x, dim);
}

/**
 * Clip vectors through the adapter: the stored pooled vectors (`rows × dim`) through the video head,
 * or, with a temporal head, each row's `n` frames (`rows × n × dim`) pooled by it first.
 */
export function adaptVideo(adapter: AdapterHeads, pooled: Float32Array, frames: Float32Array, n: number, dim: number): Float32Array {
  return applyLinear(adapter.weights, 'video', videoHeadInput(adapter, pooled, frames, n, dim), dim);
}

/** What the video side's linear head takes: the pooled vectors, or the frames pooled by the temporal head. */
export function videoHeadInput(adapter: AdapterHeads, pooled: Float32Array, frames: Float32Array, n: number, dim: number): Float32Array {
  return adapter.temporal ? temporalPool(adapter.weights, adapter.temporal, frames, n, dim) : pooled;
}

export const ADAPTER_HEAD: HeadKind<AdapterMeta> = {
  kind: 'retrieval-adapter',
  what: 'an adapter',
  command: 'vidlens train retrieval',
  meta: adapterMetaSchema,
  spec: (m) => adapterSpec(m.model.dim, m.temporal),
  // Before the one format: `adapter.json` + positional weights, linear heads stored out × in.
  legacy: {
    file: 'adapter.json',
    read: (json, floats) => {
      const meta = adapterMetaSchema.safeParse(json);
      if (!meta.success) return 'is not a valid adapter description';
      const dim = meta.data.model.dim;
      const t = meta.data.temporal;
      const parts: Array<[string, number]> = [['text.weight', dim * dim], ['text.bias', dim], ['video.weight', dim * dim], ['video.bias', dim]];
      if (t) parts.push(['temporal.pos', t.steps * dim], ['temporal.wq', dim * t.width], ['temporal.wk', dim * t.width], ['temporal.wv', dim * t.width], ['temporal.wo', t.width * dim]);
      const weights = splitPositional(floats, parts);
      if (typeof weights === 'string') return weights;
      weights['text.weight'] = transpose({ data: weights['text.weight'], rows: dim, cols: dim }).data as Float32Array;
      weights['video.weight'] = transpose({ data: weights['video.weight'], rows: dim, cols: dim }).data as Float32Array;
      return { meta: meta.data, weights };
    },
  },
};
