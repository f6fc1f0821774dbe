import { z } from 'zod';
import { usageError } from '../core/errors.js';
import type { ModelManifest } from '../models/encoder.js';

export interface TrainedOn {
  id: string;
  sha256: string;
  dim: number;
}

/** Refuses weights (an adapter, a reranker) trained on another model's features than the index's. */
export function assertTrainedOn(flag: string, dir: string, trained: TrainedOn, model: ModelManifest, train: string): void {
  if (trained.sha256 !== model.sha256 || trained.dim !== model.dim) {
    throw usageError(
      `${flag} ${dir}: trained on ${trained.id} (sha256 ${trained.sha256.slice(0, 12)}…), but the index uses ${model.id} ` +
        `(sha256 ${model.sha256.slice(0, 12)}…); run '${train}' on this index's features`,
    );
  }
}

/**
 * The labelled clips a head was fitted on: the dataset file, how many clips trained and validated it,
 * and (since it was recorded) a key per training clip (`clipKey`), so that an evaluation can tell
 * when it scores a head on clips it was trained on.
 */
export const trainedOnDatasetSchema = z.object({
  path: z.string(),
  sha256: z.string(),
  train: z.number(),
  val: z.number(),
  trainClips: z.array(z.string()).optional(),
});

export type TrainedOnDataset = z.infer<typeof trainedOnDatasetSchema>;

/**
 * The fields every saved head's `meta.json` carries beside its kind: which vidlens wrote it and when, the
 * model whose features it was fitted on (another model's are refused), its training configuration and the
 * labelled clips it was fitted on.
 */
export const headMetaSchema = z.object({
  vidlens: z.string(),
  created: z.string(),
  model: z.object({ id: z.string(), sha256: z.string(), dim: z.number().int().positive() }),
  config: z.record(z.string(), z.unknown()),
  dataset: trainedOnDatasetSchema,
});

/** What early stopping watched and the epoch kept (null: the start, before any training). */
export const bestValidationSchema = z.object({ metric: z.string(), best: z.number(), bestEpoch: z.number().nullable() });
