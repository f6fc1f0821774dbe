import type { OnProgress } from '../core/events.js';
import type { Catalog } from '../store/catalog.js';
import { WriterLease } from '../store/lease.js';
import { withIndexLock } from '../store/lock.js';
import { reconcile, type Reconciliation } from './reconcile.js';

export interface RunPlan extends Reconciliation {
  /** Videos another live run is embedding right now (counted as skipped: that run commits them). */
  elsewhere: number;
  /** Unchanged videos moved to the run's --domain. */
  relabeled: number;
}

/**
 * The commit protocol that lets several `vidlens index` processes write one index:
 *
 * 1. A run takes a lease (`store/lease.ts`) for its lifetime.
 * 2. Under the index lock it sweeps orphan segments that no live run claims, reconciles the files
 *    with the stored videos, leaves out the videos other live runs have claimed, and claims the rest.
 * 3. Outside the lock it embeds and commits: a video's segments first, its row after them, so a
 *    video row always has all its segments.
 * 4. At the end, under the lock, it drops its claims and sweeps again (its own failed videos'
 *    segments, and whatever dead runs left), then gives the lease up.
 *
 * A killed run leaves its lease behind; the next run sees the process is gone, voids its claims and
 * sweeps its partial work, so the resumed index has no duplicates.
 */
export class IndexRun {
  private constructor(
    private readonly catalog: Catalog,
    private readonly lease: WriterLease,
    private readonly onProgress?: OnProgress,
  ) {}

  /** `onProgress` hears of waits for the index lock. */
  static async begin(catalog: Catalog, options: { onProgress?: OnProgress } = {}): Promise<IndexRun> {
    return new IndexRun(catalog, await WriterLease.acquire(catalog.dir), options.onProgress);
  }

  /** Step 2: what this run embeds, claimed atomically with respect to the other writers. */
  async plan(files: string[], options: { domain?: string } = {}): Promise<RunPlan> {
    return withIndexLock(this.catalog.dir, async () => {
      const others = await this.lease.othersClaims();
      await this.catalog.removeOrphanSegments(others);
      const plan = await reconcile(files, await this.catalog.videos.all());
      const toIndex = plan.toIndex.filter((c) => !others.has(c.id));
      const elsewhere = plan.toIndex.length - toIndex.length;
      await this.catalog.deleteVideos(plan.replaced);
      await this.catalog.videos.upsert(plan.moved);
      // An unchanged video indexed again under another --domain keeps its vectors and takes the new label.
      const relabel = options.domain === undefined ? [] : plan.kept.filter((v) => v.domain !== options.domain).map((v) => v.id);
      if (options.domain !== undefined) await this.catalog.relabel(relabel, options.domain);
      await this.lease.claim(toIndex.map((c) => c.id));
      return { ...plan, toIndex, unchanged: plan.unchanged + elsewhere, elsewhere, relabeled: relabel.length };
    }, { onProgress: this.onProgress });
  }

  /** Step 4: always called, also after a failure. */
  async end(): Promise<void> {
    try {
      await withIndexLock(this.catalog.dir, async () => {
        await this.lease.releaseClaims();
        await this.catalog.removeOrphanSegments(await this.lease.othersClaims());
      }, { onProgress: this.onProgress });
    } finally {
      await this.lease.release();
    }
  }
}
