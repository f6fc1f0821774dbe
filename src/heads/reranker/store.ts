import { z } from 'zod';
import type { ModelManifest } from '../../models/encoder.js';
import { readHeadFolder, splitPositional, writeHeadFolder, type HeadKind } from '../folder.js';
import { sizeOf } from '../spec.js';
import { assertTrainedOn, headMetaSchema } from '../trained-on.js';
import { Reranker, rerankerSpec, type RerankerWeights } from './reranker.js';

export const rerankerMetaSchema = headMetaSchema.extend({
  kind: z.literal('reranker'),
  shape: z.object({
    dim: z.number().int().positive(),
    steps: z.number().int().positive(),
    width: z.number().int().positive(),
    heads: z.number().int().positive(),
    hidden: z.number().int().positive(),
  }),
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

export const RERANKER_HEAD: HeadKind<RerankerMeta> = {
  kind: 'reranker',
  what: 'a reranker',
  command: 'vidlens train rerank',
  meta: rerankerMetaSchema,
  spec: (m) => rerankerSpec(m.shape),
  // Before the one format: `reranker.json` + weights in the spec's order.
  legacy: {
    file: 'reranker.json',
    read: (json, floats) => {
      const meta = rerankerMetaSchema.safeParse(json);
      if (!meta.success) return 'is not a valid reranker description';
      const weights = splitPositional(floats, rerankerSpec(meta.data.shape).map((t) => [t.name, sizeOf(t.shape)]));
      return typeof weights === 'string' ? weights : { meta: meta.data, weights };
    },
  },
};

export async function saveReranker(dir: string, meta: RerankerMeta, weights: RerankerWeights): Promise<void> {
  await writeHeadFolder(dir, RERANKER_HEAD, meta, weights);
}

export async function loadReranker(dir: string): Promise<SavedReranker> {
  const { meta, weights } = await readHeadFolder('--reranker', dir, RERANKER_HEAD);
  return { meta, reranker: new Reranker(meta.shape, weights) };
}

/** Refuses a reranker trained on another model's features. */
export function assertRerankerFits(saved: SavedReranker, model: ModelManifest, dir: string): void {
  assertTrainedOn('--reranker', dir, saved.meta.model, model, 'vidlens train rerank');
}
