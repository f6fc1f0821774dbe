import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { usageError } from '../core/errors.js';
import { readManifest, writeManifest, type IndexManifest } from './manifest.js';
import { segmentSchema, sqlString, videoSchema, type SegmentRow, type VideoRow } from './schema.js';

const VIDEOS = 'videos';
const SEGMENTS = 'segments';
/** Labelled clips embedded at their exact spans for evaluation and training (same columns as segments). */
const CLIPS = 'clips';

export interface SegmentHit {
  segment: Omit<SegmentRow, 'vector' | 'frame_vectors' | 'frame_times'>;
  score: number;
}

export interface SegmentFilter {
  domain?: string;
  videoId?: string;
}

/** Typed arrays as plain arrays, the form LanceDB's row conversion takes for vector columns. */
function arrowRow(r: SegmentRow) {
  return { ...r, vector: Array.from(r.vector), frame_vectors: Array.from(r.frame_vectors), frame_times: Array.from(r.frame_times) };
}

/** Converts LanceDB's Arrow-backed row values into plain JS numbers and strings. */
function plainVideo(row: Record<string, unknown>): VideoRow {
  return {
    id: String(row.id), path: String(row.path), size: Number(row.size), mtime: Number(row.mtime),
    duration: Number(row.duration), fps: Number(row.fps), width: Number(row.width), height: Number(row.height),
    rotation: Number(row.rotation), codec: String(row.codec), domain: String(row.domain),
    segments: Number(row.segments), indexed_at: String(row.indexed_at),
  };
}

/**
 * The on-disk index: a LanceDB database with a `videos` and a `segments` table, plus the manifest
 * that says which model and sampling produced the vectors.
 */
export class Catalog {
  private constructor(
    readonly dir: string,
    private readonly db: lancedb.Connection,
    private manifestValue: IndexManifest | undefined,
  ) {}

  /** Opens (or, with `create`, makes) the index folder. A path that is a file is a usage error naming `--db`. */
  static async open(dir: string, options: { create: boolean }): Promise<Catalog> {
    const info = await stat(dir).catch(() => undefined);
    if (info && !info.isDirectory()) throw usageError(`--db ${dir}: exists and is not a directory`);
    if (!info) {
      if (!options.create) throw usageError(`--db ${dir}: no index here (run 'vidlens index <folder> --db ${dir}' first)`);
      await mkdir(dir, { recursive: true });
    }
    const manifest = await readManifest(dir);
    if (!manifest && !options.create) throw usageError(`--db ${dir}: not a vidlens index (no manifest); run 'vidlens index' first`);
    // Always an absolute path: LanceDB reads some relative names (e.g. "db") as cloud URIs.
    return new Catalog(dir, await lancedb.connect(resolve(dir)), manifest);
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
    // exist_ok: another writer may be creating the same tables right now.
    await this.db.createEmptyTable(VIDEOS, videoSchema(), { existOk: true });
    await this.db.createEmptyTable(SEGMENTS, segmentSchema(manifest.model.dim, manifest.sampling.frames), { existOk: true });
    await writeManifest(this.dir, manifest);
    this.manifestValue = manifest;
  }

  /** Updates the manifest (e.g. refreshed weight stamps) without touching the tables. */
  async saveManifest(manifest: IndexManifest): Promise<void> {
    await writeManifest(this.dir, manifest);
    this.manifestValue = manifest;
  }

  private async table(name: string): Promise<lancedb.Table | undefined> {
    const names = await this.db.tableNames();
    return names.includes(name) ? this.db.openTable(name) : undefined;
  }

  private async requireTable(name: string): Promise<lancedb.Table> {
    const table = await this.table(name);
    if (!table) throw usageError(`--db ${this.dir}: the index has no ${name} table; run 'vidlens index' first`);
    return table;
  }

  async videos(): Promise<VideoRow[]> {
    const table = await this.table(VIDEOS);
    if (!table) return [];
    const rows = await table.query().toArray();
    return rows.map((r) => plainVideo(r as Record<string, unknown>));
  }

  async counts(): Promise<{ videos: number; segments: number }> {
    const videos = await this.table(VIDEOS);
    const segments = await this.table(SEGMENTS);
    return { videos: videos ? await videos.countRows() : 0, segments: segments ? await segments.countRows() : 0 };
  }

  async addSegments(rows: SegmentRow[]): Promise<void> {
    if (rows.length === 0) return;
    const table = await this.requireTable(SEGMENTS);
    await table.add(rows.map(arrowRow));
  }

  /** Inserts or replaces video rows by id. */
  async upsertVideos(rows: VideoRow[]): Promise<void> {
    if (rows.length === 0) return;
    const table = await this.requireTable(VIDEOS);
    await table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(rows as unknown as Record<string, unknown>[]);
  }

  /** Removes videos and all their segments. */
  async deleteVideos(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const list = ids.map(sqlString).join(', ');
    await (await this.requireTable(SEGMENTS)).delete(`video_id IN (${list})`);
    await (await this.requireTable(VIDEOS)).delete(`id IN (${list})`);
  }

  /**
   * Deletes segments whose video is not recorded as indexed and that no live writer has claimed:
   * leftovers of an interrupted or failed run. Segments are written before their video row, so this
   * (with the claims of `indexing/commit.ts`) is what makes a resumed run duplicate-free.
   */
  async removeOrphanSegments(claimed: ReadonlySet<string> = new Set()): Promise<number> {
    const segments = await this.table(SEGMENTS);
    if (!segments) return 0;
    const known = new Set((await this.videos()).map((v) => v.id));
    const rows = await segments.query().select(['video_id']).toArray();
    const orphans = [...new Set(rows.map((r) => String((r as { video_id: string }).video_id)))].filter((id) => !known.has(id) && !claimed.has(id));
    if (orphans.length > 0) await segments.delete(`video_id IN (${orphans.map(sqlString).join(', ')})`);
    return orphans.length;
  }

  /**
   * Every segment (optionally filtered) with its pooled vector, and its frame vectors when asked, for
   * exact scans through an adapter.
   */
  async segmentsWithVectors(
    filter: SegmentFilter = {},
    options: { frames?: boolean } = {},
  ): Promise<Array<{ segment: SegmentHit['segment']; vector: Float32Array; frameVectors?: Float32Array }>> {
    const table = await this.requireTable(SEGMENTS);
    const where = this.filterSql(filter);
    let query = table.query().select(['id', 'video_id', 'idx', 'start', 'end', 'domain', 'model', 'vector', ...(options.frames ? ['frame_vectors'] : [])]);
    if (where) query = query.where(where);
    type Row = Record<string, unknown> & { vector: { toArray(): Float32Array }; frame_vectors?: { toArray(): Float32Array } };
    const rows = (await query.toArray()) as Row[];
    return rows.map((r) => ({
      segment: { id: String(r.id), video_id: String(r.video_id), idx: Number(r.idx), start: Number(r.start), end: Number(r.end), domain: String(r.domain), model: String(r.model) },
      vector: Float32Array.from(r.vector.toArray()),
      frameVectors: r.frame_vectors ? Float32Array.from(r.frame_vectors.toArray()) : undefined,
    }));
  }

  private filterSql(filter: SegmentFilter): string | undefined {
    const where: string[] = [];
    if (filter.domain !== undefined) where.push(`domain = ${sqlString(filter.domain)}`);
    if (filter.videoId !== undefined) where.push(`video_id = ${sqlString(filter.videoId)}`);
    return where.length ? where.join(' AND ') : undefined;
  }

  /** Exact cosine nearest neighbours (flat scan; an ANN index can slot in here at scale). */
  async searchSegments(query: Float32Array, k: number, filter: SegmentFilter = {}): Promise<SegmentHit[]> {
    const table = await this.requireTable(SEGMENTS);
    const where = this.filterSql(filter);
    let search = table
      .vectorSearch(Array.from(query))
      .column('vector')
      .distanceType('cosine')
      .select(['id', 'video_id', 'idx', 'start', 'end', 'domain', 'model', '_distance'])
      .limit(k);
    if (where) search = search.where(where);
    const rows = (await search.toArray()) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      segment: {
        id: String(r.id), video_id: String(r.video_id), idx: Number(r.idx), start: Number(r.start), end: Number(r.end),
        domain: String(r.domain), model: String(r.model),
      },
      score: 1 - Number(r._distance),
    }));
  }

  /** Frame vectors (`frames × dim`) of the given segments, by segment id. */
  async segmentFrames(ids: string[]): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    const table = await this.requireTable(SEGMENTS);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await table.query().where(`id IN (${chunk.map(sqlString).join(', ')})`).select(['id', 'frame_vectors']).toArray();
      for (const r of rows as Array<{ id: string; frame_vectors: { toArray(): Float32Array } }>) out.set(String(r.id), Float32Array.from(r.frame_vectors.toArray()));
    }
    return out;
  }

  /** Stored clip embeddings by key (`<video id>@<start>-<end>`); absent keys are missing from the map. */
  async clipVectors(keys: string[]): Promise<Map<string, { vector: Float32Array; frameVectors: Float32Array }>> {
    const out = new Map<string, { vector: Float32Array; frameVectors: Float32Array }>();
    const table = await this.table(CLIPS);
    if (!table || keys.length === 0) return out;
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      const rows = await table.query().where(`id IN (${chunk.map(sqlString).join(', ')})`).select(['id', 'vector', 'frame_vectors']).toArray();
      for (const r of rows as Array<{ id: string; vector: { toArray(): Float32Array }; frame_vectors: { toArray(): Float32Array } }>) {
        out.set(String(r.id), { vector: Float32Array.from(r.vector.toArray()), frameVectors: Float32Array.from(r.frame_vectors.toArray()) });
      }
    }
    return out;
  }

  async addClips(rows: SegmentRow[]): Promise<void> {
    if (rows.length === 0) return;
    const manifest = this.manifestValue;
    if (!manifest) throw usageError(`--db ${this.dir}: not initialised`);
    const table = await this.db.createEmptyTable(CLIPS, segmentSchema(manifest.model.dim, manifest.sampling.frames), { existOk: true });
    const keys = rows.map((r) => sqlString(r.id)).join(', ');
    await table.delete(`id IN (${keys})`);
    await table.add(rows.map(arrowRow));
  }
}
