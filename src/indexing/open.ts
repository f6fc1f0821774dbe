import type { SamplingOptions } from '../media/plan.js';
import type { Encoder } from '../models/encoder.js';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { config } from '../core/config.js';
import { loadEncoder } from '../models/load.js';
import { sameStamps } from '../models/weights.js';
import { Catalog } from '../store/catalog.js';
import { withIndexLock } from '../store/lock.js';
import { assertSameModel, assertSameSampling, assertSameTta } from '../store/compat.js';
import type { Tta } from './embed-loop.js';
import { VERSION } from '../core/version.js';
import { usageError } from '../core/errors.js';

export const DEFAULT_SAMPLING: SamplingOptions = { window: 4, stride: 4, frames: 8 };

function isPermissionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

/** Refuses an index folder (or, for a new one, its parent) that cannot be written, before any work. */
async function assertWritable(db: string, isNew: boolean): Promise<void> {
  const folder = isNew ? dirname(resolve(db)) : db;
  try {
    await access(folder, constants.W_OK);
  } catch (error) {
    if (!isPermissionError(error)) return;
    throw usageError(`--db ${db}: ${isNew ? `cannot create the index in ${folder}` : 'the index folder is not writable'} (${(error as NodeJS.ErrnoException).code}); give a folder you can write, or search it read-only`);
  }
}

export interface OpenedIndex {
  catalog: Catalog;
  encoder: Encoder;
  sampling: SamplingOptions;
}

function validateSampling(s: SamplingOptions): SamplingOptions {
  if (!(s.window > 0)) throw usageError(`--window ${s.window}: must be a positive number of seconds`);
  if (!(s.stride > 0)) throw usageError(`--stride ${s.stride}: must be a positive number of seconds`);
  if (!Number.isInteger(s.frames) || s.frames < 1) throw usageError(`--frames ${s.frames}: must be a whole number ≥ 1`);
  return s;
}

/**
 * Opens (or creates) the index at `db` with its model: an existing index loads its own model
 * unless another is named (and then refuses it if it differs); a new index records the model and
 * sampling in its manifest. The caller disposes of the encoder.
 */
export async function openIndex(
  db: string,
  options: { model?: string; sampling?: Partial<SamplingOptions>; tta?: Tta; threads?: number; create: boolean; /** Loads the model (default `loadEncoder`): a long-lived process passes one that keeps it loaded. */ loader?: typeof loadEncoder },
): Promise<OpenedIndex> {
  // A new index folder is made only once its model has loaded: a bad --model leaves nothing behind.
  const isNew = options.create && !(await stat(db).catch(() => undefined));
  if (options.create) await assertWritable(db, isNew);
  const opened = isNew ? undefined : await Catalog.open(db, { create: options.create });
  const existing = opened?.manifest;
  const asked = options.sampling ?? {};
  // A new window without a stride means back-to-back windows, not the old stride.
  const stride = asked.stride ?? (asked.window !== undefined ? asked.window : undefined);
  const sampling = validateSampling({ ...(existing?.sampling ?? DEFAULT_SAMPLING), ...asked, ...(stride !== undefined ? { stride } : {}) });
  if (existing) assertSameSampling(existing, sampling, db);
  if (existing && options.tta) assertSameTta(existing, options.tta, db);
  const known = existing ? { stamps: existing.weights, sha256: existing.model.sha256 } : undefined;
  const model = options.model ?? existing?.model.source ?? config.model();
  const { encoder, source, stamps } = await (options.loader ?? loadEncoder)(model, {
    threads: options.threads,
    knownWeights: known,
    // Name the model as the user met it: their flag, the index's own, or the default they never typed.
    label: options.model ? undefined : existing ? `the index's model ${model}` : `the default model ${model} (choose another with --model or VIDLENS_MODEL)`,
  });
  let catalog: Catalog;
  try {
    catalog = opened ?? (await Catalog.open(db, { create: true }));
    if (existing) {
      assertSameModel(existing, encoder.manifest, db);
      // Only a changed file stamp is written back, and only when the folder lets us: a read-only
      // index stays searchable (it re-hashes the weights on each open instead).
      if (!sameStamps(stamps, existing.weights)) await catalog.saveManifest({ ...existing, weights: stamps }).catch((error: unknown) => {
        if (options.create || !isPermissionError(error)) throw error;
      });
    } else {
      // Two first runs on one folder: the first to take the lock creates the index, the other joins it.
      await withIndexLock(db, async () => {
        const created = await catalog.reloadManifest();
        if (created) {
          assertSameSampling(created, sampling, db);
          assertSameTta(created, options.tta ?? 'none', db);
          assertSameModel(created, encoder.manifest, db);
          return;
        }
        await catalog.initialise({
          vidlens: VERSION,
          created: new Date().toISOString(),
          model: { ...encoder.manifest, source: source.ref },
          weights: stamps,
          sampling,
          ann: null,
          tta: options.tta ?? 'none',
        });
      });
    }
  } catch (error) {
    await encoder.dispose();
    throw error;
  }
  return { catalog, encoder, sampling };
}
