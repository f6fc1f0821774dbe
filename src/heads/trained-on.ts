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
