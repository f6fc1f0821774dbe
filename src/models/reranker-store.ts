import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { usageError } from '../errors.js';
import type { ModelManifest } from './encoder.js';
import { Reranker, rerankerTensors, type RerankerWeights } from './reranker.js';
import { assertTrainedOn } from './trained-on.js';

export const rerankerMetaSchema = z.object({
  kind: z.literal('reranker'),
  vidlens: z.string(),
  created: z.string(),
  model: z.object({ id: z.string(), sha256: z.string(), dim: z.number().int().positive() }),
  shape: z.object({
    dim: z.number().int().positive(),
    steps: z.number().int().positive(),
    width: z.number().int().positive(),
    heads: z.number().int().positive(),
    hidden: z.number().int().positive(),
  }),
  config: z.record(z.string(), z.unknown()),
  dataset: z.object({ path: z.string(), sha256: z.string(), train: z.number(), val: z.number() }),
  validation: z.object({ metric: z.string(), history: z.array(z.number()), best: z.number(), bestEpoch: z.number(), firstStage: z.number() }),
});

export type RerankerMeta = z.infer<typeof rerankerMetaSchema>;

export interface SavedReranker {
  meta: RerankerMeta;
  reranker: Reranker;
}

const FILES = { meta: 'reranker.json', weights: 'weights.bin' };

/** Writes `reranker.json` (shape, config, model, validation) and `weights.bin` (float32, in `rerankerTensors` order). */
export async function saveReranker(dir: string, meta: RerankerMeta, weights: RerankerWeights): Promise<void> {
  await mkdir(dir, { recursive: true });
  const parts = rerankerTensors(meta.shape).map(([name]) => weights[name]);
  await writeFile(join(dir, FILES.weights), Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  await writeFile(join(dir, FILES.meta), `${JSON.stringify(meta, null, 2)}\n`);
}

export async function loadReranker(dir: string): Promise<SavedReranker> {
  let metaText: string;
  let bytes: Buffer;
  try {
    [metaText, bytes] = await Promise.all([readFile(join(dir, FILES.meta), 'utf8'), readFile(join(dir, FILES.weights))]);
  } catch {
    throw usageError(`--reranker ${dir}: not a reranker folder (expected ${FILES.meta} and ${FILES.weights}; see 'vidlens train rerank')`);
  }
  let json: unknown;
  try {
    json = JSON.parse(metaText);
  } catch {
    throw usageError(`--reranker ${dir}: ${FILES.meta} is not JSON`);
  }
  const parsed = rerankerMetaSchema.safeParse(json);
  if (!parsed.success) throw usageError(`--reranker ${dir}: ${FILES.meta} is not valid (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
  const shape = parsed.data.shape;
  const tensors = rerankerTensors(shape);
  const expected = 4 * tensors.reduce((n, [, size]) => n + size, 0);
  if (bytes.length !== expected) throw usageError(`--reranker ${dir}: ${FILES.weights} has ${bytes.length} bytes, expected ${expected} for its shape`);
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const weights: RerankerWeights = {};
  let at = 0;
  for (const [name, size] of tensors) weights[name] = floats.slice(at, (at += size));
  return { meta: parsed.data, reranker: new Reranker(shape, weights) };
}

/** Refuses a reranker trained on another model's features. */
export function assertRerankerFits(saved: SavedReranker, model: ModelManifest, dir: string): void {
  assertTrainedOn('--reranker', dir, saved.meta.model, model, 'vidlens train rerank');
}
