import { mkdir, stat } from 'node:fs/promises';
import { ADAPTED_PREFIX, AdaptedStore } from './adapted.js';
import { AnnIndex } from './ann.js';
import { ClipCache } from './clip-cache.js';
import { IndexDb } from './database.js';
import { StoreError } from './errors.js';
import { withIndexLock } from './lock.js';
import { parseTableManifest, readManifest, TABLE_MANIFEST_KEY, tableManifest, writeManifest, type IndexManifest } from './manifest.js';
import { segmentSchema, videoSchema } from './schema.js';
import { SEGMENTS, SegmentTable } from './segments.js';
import { VIDEOS, VideoTable } from './videos.js';

export type { SegmentFilter, SegmentHit, SegmentInfo } from './segments.js';

/**
 * The on-disk index: its manifest (which model and sampling produced the vectors) and its tables —
 * `videos`, `segments` and the `clips` feature cache — each with its own class. The operations that
 * span tables (deleting videos with their segments, sweeping orphan segments) live here.
 */
export class Catalog {
  readonly videos: VideoTable;
  readonly segments: SegmentTable;
  readonly clips: ClipCache;
  readonly ann: AnnIndex;

  private constructor(
    readonly dir: string,
    private readonly db: IndexDb,
    private manifestValue: IndexManifest | undefined,
  ) {
    this.videos = new VideoTable(db);
    this.segments = new SegmentTable(db);
    this.ann = new AnnIndex(db);
    this.clips = new ClipCache(db, () => {
      if (!this.manifestValue) throw new StoreError(dir, 'not initialised');
      return { dim: this.manifestValue.model.dim, frames: this.manifestValue.sampling.frames };
    });
  }

  /** Opens (or, with `create`, makes) the index folder; a path that is a file, or no index, is a `StoreError`. */
  static async open(dir: string, options: { create: boolean }): Promise<Catalog> {
    const info = await stat(dir).catch(() => undefined);
    if (info && !info.isDirectory()) throw new StoreError(dir, 'exists and is not a directory');
    if (!info) {
      if (!options.create) throw new StoreError(dir, `no index here (run 'vidlens index <folder> --db ${dir}' first)`);
      await mkdir(dir, { recursive: true });
    }
    const db = await IndexDb.connect(dir);
    let manifest = await readManifest(dir);
    let recorded: IndexManifest | undefined | null;
    if (manifest || !options.create) recorded = await Catalog.recordedManifest(db);
    else {
      // No manifest yet: a first writer may be creating the tables, then the manifest, under the index lock
      // right now (a half-made table cannot be opened), so both are looked at under it.
      [manifest, recorded] = await withIndexLock(dir, async () => [await readManifest(dir), await Catalog.recordedManifest(db)] as const);
    }
    if (!manifest && recorded !== null) {
      const built = recorded ? ` (built with ${recorded.model.id}, sha256 ${recorded.model.sha256.slice(0, 12)}…, dim ${recorded.model.dim})` : '';
      throw new StoreError(dir, `vidlens-manifest.json is missing, but the folder holds an index's tables${built}; ${recorded ? `rebuild the manifest from them with 'vidlens repair --db ${dir}'` : 'restore the manifest from a backup'}, or use another --db`);
    }
    if (!manifest && !options.create) throw new StoreError(dir, "not a vidlens index (no manifest); run 'vidlens index' first");
    if (manifest && recorded && recorded.model.sha256 !== manifest.model.sha256) {
      throw new StoreError(dir, `the manifest names ${manifest.model.id} (sha256 ${manifest.model.sha256.slice(0, 12)}…), but the tables were built with ${recorded.model.id} (sha256 ${recorded.model.sha256.slice(0, 12)}…); rebuild the manifest with 'vidlens repair --db ${dir}'`);
    }
    return new Catalog(dir, db, manifest);
  }

  /**
   * The manifest the `segments` table records: null without such a table, undefined when it has none
   * (an index from before the tables recorded it).
   */
  private static async recordedManifest(db: IndexDb): Promise<IndexManifest | undefined | null> {
    if (!(await db.table(SEGMENTS))) return null;
    return parseTableManifest((await db.metadata(SEGMENTS)).get(TABLE_MANIFEST_KEY));
  }

  /**
   * `vidlens repair`: writes the manifest the tables record (the model, sampling and augmentation they
   * were built with). Refused when the tables record none.
   */
  static async repairManifest(dir: string): Promise<IndexManifest> {
    const recorded = await Catalog.recordedManifest(await IndexDb.connect(dir));
    if (!recorded) throw new StoreError(dir, recorded === null ? 'no index tables here to rebuild a manifest from' : 'the tables do not record their manifest (an index from an earlier version); restore vidlens-manifest.json from a backup');
    await writeManifest(dir, recorded);
    return recorded;
  }

  get manifest(): IndexManifest | undefined {
    return this.manifestValue;
  }

  /** Reads the manifest again (another writer may have created the index since this one opened it). */
  async reloadManifest(): Promise<IndexManifest | undefined> {
    this.manifestValue = await readManifest(this.dir);
    return this.manifestValue;
  }

  /** Records the manifest and creates empty tables for its vector sizes. */
  async initialise(manifest: IndexManifest): Promise<void> {
    await this.db.create(VIDEOS, videoSchema());
    await this.db.create(SEGMENTS, segmentSchema(manifest.model.dim, manifest.sampling.frames, new Map([[TABLE_MANIFEST_KEY, tableManifest(manifest)]])));
    await writeManifest(this.dir, manifest);
    this.manifestValue = manifest;
  }

  /** Updates the manifest (e.g. refreshed weight stamps) without touching the tables. */
  async saveManifest(manifest: IndexManifest): Promise<void> {
    await writeManifest(this.dir, manifest);
    this.manifestValue = manifest;
  }

  /**
   * A key that changes whenever either table gets a commit (from this process or another): what a
   * copy of the index held in memory compares to know it is stale. Costs two metadata reads.
   */
  async versionKey(): Promise<string> {
    const [videos, segments] = await Promise.all([this.db.version(VIDEOS), this.db.version(SEGMENTS)]);
    return `${videos}:${segments}`;
  }

  /** The copy of the segment vectors through the adapter whose weights hash to `key` (it may not exist yet). */
  adapted(key: string): AdaptedStore {
    if (!this.manifestValue) throw new StoreError(this.dir, 'not initialised');
    return new AdaptedStore(this.db, key, this.manifestValue.model.dim);
  }

  /** Every adapter's copy of the segment vectors in the folder. */
  async adaptedCopies(): Promise<AdaptedStore[]> {
    const names = (await this.db.tableNames()).filter((n) => n.startsWith(ADAPTED_PREFIX));
    return names.map((n) => this.adapted(n.slice(ADAPTED_PREFIX.length)));
  }

  /** Indexed videos and their segments; segments of videos without a row (a run in progress or interrupted) do not count. */
  async counts(): Promise<{ videos: number; segments: number }> {
    const known = (await this.videos.all()).map((v) => v.id);
    return { videos: known.length, segments: known.length ? await this.segments.count({ videoIds: known }) : 0 };
  }

  /** Moves videos, with their segments, to another domain (segments first, as a commit writes them). */
  async relabel(ids: string[], domain: string): Promise<void> {
    await this.segments.setDomain(ids, domain);
    await this.videos.setDomain(ids, domain);
  }

  /** Removes videos and all their segments (segments first: a video row never outlives them). */
  async deleteVideos(ids: string[]): Promise<void> {
    await this.segments.deleteVideos(ids);
    await this.videos.delete(ids);
  }

  /**
   * Deletes segments whose video is not recorded as indexed and that no live writer has claimed:
   * leftovers of an interrupted or failed run. Segments are written before their video row, so this
   * (with the claims of `indexing/commit.ts`) is what makes a resumed run duplicate-free.
   */
  async removeOrphanSegments(claimed: ReadonlySet<string> = new Set()): Promise<number> {
    const keep = new Set([...(await this.videos.all()).map((v) => v.id), ...claimed]);
    const orphans = await this.segments.videoIdsOutside(keep);
    await this.segments.deleteVideos(orphans);
    return orphans.length;
  }
}
