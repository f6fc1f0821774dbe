import { usageError } from '../core/errors.js';
import type { ModelManifest } from '../models/encoder.js';
import type { SamplingOptions } from '../media/plan.js';
import type { IndexManifest } from './manifest.js';

/** Refuses a model other than the one an index was built with: mixed vectors would be silent garbage. */
export function assertSameModel(manifest: IndexManifest, model: ModelManifest, dbDir: string): void {
  if (manifest.model.sha256 !== model.sha256 || manifest.model.dim !== model.dim) {
    throw usageError(
      `--model ${model.id}: the index at ${dbDir} was built with ${manifest.model.id} ` +
        `(sha256 ${manifest.model.sha256.slice(0, 12)}…, dim ${manifest.model.dim}); this model is sha256 ` +
        `${model.sha256.slice(0, 12)}…, dim ${model.dim}. Use the index's model, or index into a new --db.`,
    );
  }
}

/** Refuses another test-time augmentation than the index's: vectors of one index must be comparable. */
export function assertSameTta(manifest: IndexManifest, tta: IndexManifest['tta'], dbDir: string): void {
  if (manifest.tta !== tta) throw usageError(`--tta ${tta}: the index at ${dbDir} was built with --tta ${manifest.tta}; use it, or index into a new --db`);
}

/** Refuses different sampling settings: segments of one index must be comparable. */
export function assertSameSampling(manifest: IndexManifest, sampling: SamplingOptions, dbDir: string): void {
  const m = manifest.sampling;
  if (m.window !== sampling.window || m.stride !== sampling.stride || m.frames !== sampling.frames) {
    throw usageError(
      `the index at ${dbDir} uses --window ${m.window} --stride ${m.stride} --frames ${m.frames}; ` +
        `got --window ${sampling.window} --stride ${sampling.stride} --frames ${sampling.frames}. ` +
        'Use the same settings, or index into a new --db.',
    );
  }
}
