import { z } from 'zod';
import type { ModelManifest } from './encoder.js';
import { Reranker, rerankerTensors, type RerankerWeights } from './reranker.js';
import { assertTrainedOn } from './trained-on.js';
import { readWeightFolder, writeWeightFolder, type WeightFolder } from './weight-folder.js';

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
  /**
   * The first stage whose scores (s₀) and hard negatives it was trained on: null for the frozen model,
   * else the retrieval adapter's weights. Absent in folders from before it was recorded: the frozen model.
   */
  firstStageAdapter: z.object({ path: z.string(), sha256: z.string() }).nullable().optional(),
});

export type RerankerMeta = z.infer<typeof rerankerMetaSchema>;

export interface SavedReranker {
  meta: RerankerMeta;
  reranker: Reranker;
}

const FOLDER: WeightFolder = { meta: 'reranker.json', what: 'a reranker', command: 'vidlens train rerank' };

/** Writes `reranker.json` (shape, config, model, validation) and `weights.bin` (float32, in `rerankerTensors` order). */
export async function saveReranker(dir: string, meta: RerankerMeta, weights: RerankerWeights): Promise<void> {
  await writeWeightFolder(dir, FOLDER, meta, rerankerTensors(meta.shape).map(([name]) => weights[name]));
}

export async function loadReranker(dir: string): Promise<SavedReranker> {
  const { meta, parts } = await readWeightFolder('--reranker', dir, FOLDER, rerankerMetaSchema, (m) => rerankerTensors(m.shape).map(([, size]) => size));
  const weights: RerankerWeights = Object.fromEntries(rerankerTensors(meta.shape).map(([name], i) => [name, parts[i]]));
  return { meta, reranker: new Reranker(meta.shape, weights) };
}

/** Refuses a reranker trained on another model's features. */
export function assertRerankerFits(saved: SavedReranker, model: ModelManifest, dir: string): void {
  assertTrainedOn('--reranker', dir, saved.meta.model, model, 'vidlens train rerank');
}
