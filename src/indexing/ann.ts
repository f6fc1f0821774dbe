import type { OnProgress } from '../core/events.js';
import { config } from '../core/config.js';
import { ANN_KIND, ANN_MIN_ROWS, ANN_THRESHOLD, ANN_UPDATE_SHARE, type AnnIndex, type AnnState } from '../store/ann.js';
import type { Catalog } from '../store/catalog.js';
import { withIndexLock } from '../store/lock.js';

export type AnnAction = 'built' | 'updated' | 'rebuilt' | null;

/** Segments from which the ANN index is built: `VIDLENS_ANN_THRESHOLD`, else `ANN_THRESHOLD` (100,000). */
export function annThreshold(): number {
  return config.annThreshold() ?? ANN_THRESHOLD;
}

/** Builds the index and records the build in the manifest. */
async function build(catalog: Catalog): Promise<void> {
  const manifest = catalog.manifest!;
  const made = await catalog.ann.build();
  await catalog.saveManifest({ ...manifest, ann: made });
}

/**
 * After `vidlens index`: builds the ANN index once the segments pass the threshold, and folds new
 * rows into it once a tenth of them are not in it. Under the index lock, so two writers never build
 * at once.
 */
export async function maintainAnn(catalog: Catalog, options: { onProgress?: OnProgress } = {}): Promise<AnnAction> {
  const threshold = annThreshold();
  return withIndexLock(catalog.dir, () => maintain(catalog.ann, () => catalog.segments.count(), () => build(catalog), threshold), options);
}

/**
 * One table's ANN upkeep: build it once the rows pass the threshold, rebuild an index of an older type
 * (the search defaults are tuned to `ANN_KIND`), fold new rows in once a tenth of them are outside it
 * (for `segments` and for adapters' copies alike).
 */
export async function maintain(ann: AnnIndex, rows: () => Promise<number>, build: () => Promise<unknown>, threshold = annThreshold()): Promise<AnnAction> {
  const state = await ann.state();
  if (!state) {
    if ((await rows()) < Math.max(threshold, ANN_MIN_ROWS)) return null;
    await build();
    return 'built';
  }
  if (state.kind !== ANN_KIND) {
    await build();
    return 'rebuilt';
  }
  const total = state.indexedRows + state.unindexedRows;
  if (total === 0 || state.unindexedRows / total < ANN_UPDATE_SHARE) return null;
  await ann.update();
  return 'updated';
}

export interface OptimizeResult {
  action: AnnAction;
  state: AnnState | undefined;
  /** Each adapter's copy of the segment vectors: its ANN index rebuilt (if it had one) and compacted, or dropped. */
  adapted: Array<{ key: string; action: 'rebuilt' | 'compacted' | 'dropped' }>;
}

/**
 * `vidlens optimize`: rebuilds the ANN index over every row (retraining its partitions), or builds
 * it when the segments pass the threshold — or, with `force`, from 256 segments; then compacts; then the
 * same for every adapter's copy (or drops them all with `dropAdapted`).
 */
export async function optimizeIndex(catalog: Catalog, options: { force?: boolean; dropAdapted?: boolean } = {}): Promise<OptimizeResult> {
  return withIndexLock(catalog.dir, async () => {
    const had = await catalog.ann.state();
    const rows = await catalog.segments.count();
    let action: AnnAction = null;
    if (had || rows >= annThreshold() || (options.force && rows >= ANN_MIN_ROWS)) {
      await build(catalog);
      action = had ? 'rebuilt' : 'built';
    } else if (options.force) {
      throw new RangeError(`the index has ${rows} segments; an ANN index needs at least ${ANN_MIN_ROWS}`);
    }
    await catalog.ann.update();
    const adapted: OptimizeResult['adapted'] = [];
    // Copies are refreshed under this same lock (indexing/adapted.ts), so none changes meanwhile.
    for (const copy of await catalog.adaptedCopies()) {
      if (options.dropAdapted) {
        await copy.drop();
        adapted.push({ key: copy.key, action: 'dropped' });
        continue;
      }
      const indexed = await copy.ann.state();
      if (indexed) await copy.ann.build();
      await copy.ann.update();
      adapted.push({ key: copy.key, action: indexed ? 'rebuilt' : 'compacted' });
    }
    return { action, state: await catalog.ann.state(), adapted };
  });
}
