import type { IndexDb } from './database.js';
import { sqlString, type VideoRow } from './schema.js';

export const VIDEOS = 'videos';

/** Converts LanceDB's Arrow-backed row values into plain JS numbers and strings. */
function plainVideo(row: Record<string, unknown>): VideoRow {
  return {
    id: String(row.id), path: String(row.path), size: Number(row.size), mtime: Number(row.mtime),
    duration: Number(row.duration), fps: Number(row.fps), width: Number(row.width), height: Number(row.height),
    rotation: Number(row.rotation), codec: String(row.codec), domain: String(row.domain),
    segments: Number(row.segments), indexed_at: String(row.indexed_at),
  };
}

/** The `videos` table: one row per fully indexed video, written after all its segments. */
export class VideoTable {
  private cached?: { version: number; byId: ReadonlyMap<string, VideoRow> };

  constructor(private readonly db: IndexDb) {}

  /**
   * Every row by id, read again only when the table has had a commit since the last read (from this
   * process or another; otherwise one metadata read): what each search joins its hits to, so that
   * a process answering many queries does not read every video row per query.
   */
  async byId(): Promise<ReadonlyMap<string, VideoRow>> {
    const version = await this.db.version(VIDEOS);
    if (this.cached?.version !== version) this.cached = { version, byId: new Map((await this.all()).map((v) => [v.id, v])) };
    return this.cached.byId;
  }

  async all(): Promise<VideoRow[]> {
    const table = await this.db.table(VIDEOS);
    if (!table) return [];
    return (await table.query().toArray()).map((r) => plainVideo(r as Record<string, unknown>));
  }

  async count(): Promise<number> {
    const table = await this.db.table(VIDEOS);
    return table ? table.countRows() : 0;
  }

  /** Inserts or replaces rows by id. */
  async upsert(rows: VideoRow[]): Promise<void> {
    if (rows.length === 0) return;
    const table = await this.db.require(VIDEOS);
    await table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(rows as unknown as Record<string, unknown>[]);
  }

  async setDomain(ids: string[], domain: string): Promise<void> {
    if (ids.length) await (await this.db.require(VIDEOS)).update({ where: `id IN (${ids.map(sqlString).join(', ')})`, values: { domain } });
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length) await (await this.db.require(VIDEOS)).delete(`id IN (${ids.map(sqlString).join(', ')})`);
  }
}
