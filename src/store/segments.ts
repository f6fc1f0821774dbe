import { config } from '../core/config.js';
import { ANN_EF, ANN_NPROBES, ANN_REFINE, POSTFILTER_MAX_DEPTH, POSTFILTER_OVERSAMPLE } from './ann.js';
import type { IndexDb } from './database.js';
import { SEGMENTS, sqlString, type SegmentRow } from './schema.js';

export { SEGMENTS } from './schema.js';

export type SegmentInfo = Omit<SegmentRow, 'vector' | 'frame_vectors' | 'frame_times'>;

export interface SegmentHit {
  segment: SegmentInfo;
  score: number;
}

export interface SegmentFilter {
  domain?: string;
  videoId?: string;
  /** Only segments of these videos (what an adapter's copy is refreshed by). */
  videoIds?: readonly string[];
  /** Only segments that overlap `[from, to]` seconds of their video (either end may be left open). */
  from?: number;
  to?: number;
}

/** How a search reads the ANN index (defaults in `store/ann.ts`), or `exact` to scan every vector instead. */
export interface AnnSearchOptions {
  exact?: boolean;
  nprobes?: number;
  ef?: number;
  refineFactor?: number;
}

const INFO_COLUMNS = ['id', 'video_id', 'idx', 'start', 'end', 'domain', 'model'];

/** Typed arrays as plain arrays, the form LanceDB's row conversion takes for vector columns. */
export function arrowRow(r: SegmentRow) {
  return { ...r, vector: Array.from(r.vector), frame_vectors: Array.from(r.frame_vectors), frame_times: Array.from(r.frame_times) };
}

function segmentInfo(r: Record<string, unknown>): SegmentInfo {
  return { id: String(r.id), video_id: String(r.video_id), idx: Number(r.idx), start: Number(r.start), end: Number(r.end), domain: String(r.domain), model: String(r.model) };
}

function filterSql(filter: SegmentFilter): string | undefined {
  const where: string[] = [];
  if (filter.domain !== undefined) where.push(`domain = ${sqlString(filter.domain)}`);
  if (filter.videoId !== undefined) where.push(`video_id = ${sqlString(filter.videoId)}`);
  if (filter.videoIds !== undefined) where.push(`video_id IN (${filter.videoIds.map(sqlString).join(', ') || "''"})`);
  // Backticks: `end` is an SQL keyword.
  if (filter.from !== undefined) where.push(`\`end\` > ${Number(filter.from)}`);
  if (filter.to !== undefined) where.push(`\`start\` < ${Number(filter.to)}`);
  return where.length ? where.join(' AND ') : undefined;
}

type VectorRow = Record<string, unknown> & { vector: { toArray(): Float32Array }; frame_vectors?: { toArray(): Float32Array } };

/**
 * The `segments` table: each time span of a video with its pooled vector and per-frame vectors. Another
 * table with the same span columns and a `vector` (an adapter's copy, `store/adapted.ts`) is searched,
 * filtered and listed by the same class under its own name.
 */
export class SegmentTable {
  private readonly shares = new Map<string, number>();

  constructor(
    private readonly db: IndexDb,
    readonly name: string = SEGMENTS,
  ) {}

  async count(filter: SegmentFilter = {}): Promise<number> {
    const table = await this.db.table(this.name);
    return table ? table.countRows(filterSql(filter)) : 0;
  }

  async add(rows: SegmentRow[]): Promise<void> {
    if (rows.length) await (await this.db.require(this.name)).add(rows.map(arrowRow));
  }

  /** Rows already in LanceDB's row form (typed vectors as plain arrays), for a table of another schema. */
  async addRecords(rows: Array<Record<string, unknown>>): Promise<void> {
    if (rows.length) await (await this.db.require(this.name)).add(rows);
  }

  /**
   * Distinct ids of the videos that have segments stored but are not in `ids`. LanceDB evaluates the
   * filter, so a sweep with no orphans reads no rows into JavaScript: a run's locked plan step takes
   * 62 ms at 1,000,000 segments of 1,000 videos, against 1.3 s to count every segment's video id here
   * (`npm run bench:writer-steps`).
   */
  async videoIdsOutside(ids: ReadonlySet<string>): Promise<string[]> {
    const table = await this.db.table(this.name);
    if (!table) return [];
    const where = ids.size ? `video_id NOT IN (${[...ids].map(sqlString).join(', ')})` : undefined;
    if ((await table.countRows(where)) === 0) return [];
    const query = table.query().select(['video_id']);
    const rows = await (where ? query.where(where) : query).toArray();
    return [...new Set(rows.map((r) => String((r as { video_id: string }).video_id)))];
  }

  async deleteVideos(ids: string[]): Promise<void> {
    if (ids.length) await (await this.db.require(this.name)).delete(`video_id IN (${ids.map(sqlString).join(', ')})`);
  }

  /** Gives every segment of these videos another domain (what a search's --domain filter reads). */
  async setDomain(ids: string[], domain: string): Promise<void> {
    if (ids.length) await (await this.db.require(this.name)).update({ where: `video_id IN (${ids.map(sqlString).join(', ')})`, values: { domain } });
  }

  /**
   * Cosine nearest neighbours: through the ANN index when there is one (rows not yet in it scanned
   * exactly; a broad filter applied to a deeper unfiltered search, a narrow one before the graph
   * search: `POSTFILTER_OVERSAMPLE` in `store/ann.ts`), else, or with `exact`, a flat scan.
   */
  async search(query: Float32Array, k: number, filter: SegmentFilter = {}, options: AnnSearchOptions = {}): Promise<SegmentHit[]> {
    const plan = await this.plan(k, filter, options);
    if (plan.depth !== undefined) {
      const deeper = await this.hits(await this.vectorQuery(query, { ...plan, k }, options));
      if (deeper.length >= k) return deeper.slice(0, k);
    }
    return this.hits(await this.vectorQuery(query, { k, where: plan.where }, options));
  }

  /** Runs the search's first query and returns LanceDB's plan of it with each operator's time (`bench:search-plan`). */
  async analyze(query: Float32Array, k: number, filter: SegmentFilter = {}, options: AnnSearchOptions = {}): Promise<string> {
    return (await this.vectorQuery(query, { ...(await this.plan(k, filter, options)), k }, options)).analyzePlan();
  }

  private async hits(search: Awaited<ReturnType<SegmentTable['vectorQuery']>>): Promise<SegmentHit[]> {
    const rows = (await search.toArray()) as Array<Record<string, unknown>>;
    return rows.map((r) => ({ segment: segmentInfo(r), score: 1 - Number(r._distance) }));
  }

  /** The filter as SQL, and how deep an unfiltered ANN search must go to keep k rows that pass it (undefined: prefilter). */
  private async plan(k: number, filter: SegmentFilter, options: AnnSearchOptions): Promise<{ where?: string; depth?: number }> {
    const where = filterSql(filter);
    if (!where || options.exact) return { where };
    const table = await this.db.require(this.name);
    if (!(await table.listIndices()).some((i) => i.columns.includes('vector'))) return { where };
    const share = await this.share(table, where);
    const depth = Math.ceil((POSTFILTER_OVERSAMPLE * k) / share);
    return { where, depth: share > 0 && depth <= POSTFILTER_MAX_DEPTH ? depth : undefined };
  }

  /** The share of the rows that pass `where`, counted once per version of the table (a time range has no scalar index to count it by). */
  private async share(table: Awaited<ReturnType<IndexDb['require']>>, where: string): Promise<number> {
    const key = `${await table.version()}\0${where}`;
    let share = this.shares.get(key);
    if (share === undefined) {
      const [passing, rows] = await Promise.all([table.countRows(where), table.countRows()]);
      share = rows ? passing / rows : 0;
      if (this.shares.size >= 256) this.shares.clear();
      this.shares.set(key, share);
    }
    return share;
  }

  /**
   * The query LanceDB runs: prefiltered by `where` to k rows, or (`depth`) the unfiltered nearest
   * `depth` rows with `where` applied after them. Either way at least k × refine candidates are re-ranked.
   */
  private async vectorQuery(query: Float32Array, shape: { k: number; where?: string; depth?: number }, options: AnnSearchOptions) {
    const table = await this.db.require(this.name);
    const limit = shape.depth ?? shape.k;
    let search = table.vectorSearch(Array.from(query)).column('vector').distanceType('cosine').select([...INFO_COLUMNS, '_distance']).limit(limit);
    if (options.exact) search = search.bypassVectorIndex();
    else {
      const nprobes = options.nprobes ?? ANN_NPROBES;
      const refine = Math.ceil((shape.k * (options.refineFactor ?? config.annRefine() ?? ANN_REFINE)) / limit);
      // The graph search must yield every candidate the re-ranking reads (LanceDB refuses ef < limit × refine).
      search = search.nprobes(nprobes).ef(Math.max(limit * refine, options.ef ?? config.annEf() ?? ANN_EF)).refineFactor(refine);
    }
    if (!shape.where) return search;
    search = search.where(shape.where);
    return shape.depth === undefined ? search : search.postfilter();
  }

  /** Every segment (optionally filtered) with its pooled vector, and its frame vectors when asked, for exact scans through an adapter. */
  async withVectors(filter: SegmentFilter = {}, options: { frames?: boolean } = {}): Promise<Array<{ segment: SegmentInfo; vector: Float32Array; frameVectors?: Float32Array }>> {
    const table = await this.db.require(this.name);
    const where = filterSql(filter);
    let query = table.query().select([...INFO_COLUMNS, 'vector', ...(options.frames ? ['frame_vectors'] : [])]);
    if (where) query = query.where(where);
    const rows = (await query.toArray()) as VectorRow[];
    return rows.map((r) => ({
      segment: segmentInfo(r),
      vector: Float32Array.from(r.vector.toArray()),
      frameVectors: r.frame_vectors ? Float32Array.from(r.frame_vectors.toArray()) : undefined,
    }));
  }

  /** The segments matching `filter` (no vectors), in video and time order. */
  async list(filter: SegmentFilter = {}): Promise<SegmentInfo[]> {
    const table = await this.db.require(this.name);
    const where = filterSql(filter);
    let query = table.query().select(INFO_COLUMNS);
    if (where) query = query.where(where);
    const rows = ((await query.toArray()) as Array<Record<string, unknown>>).map(segmentInfo);
    return rows.sort((a, b) => a.video_id.localeCompare(b.video_id) || a.idx - b.idx);
  }

  /** One segment with its pooled vector, or undefined when no segment has this id. */
  async get(id: string): Promise<{ segment: SegmentInfo; vector: Float32Array } | undefined> {
    const table = await this.db.require(this.name);
    const rows = (await table.query().where(`id = ${sqlString(id)}`).select([...INFO_COLUMNS, 'vector']).limit(1).toArray()) as VectorRow[];
    return rows.length ? { segment: segmentInfo(rows[0]), vector: Float32Array.from(rows[0].vector.toArray()) } : undefined;
  }

  /** Frame vectors (`frames × dim`) and their times (seconds in the video) of the given segments, by segment id. */
  async frameData(ids: string[]): Promise<Map<string, { vectors: Float32Array; times: Float32Array }>> {
    const out = new Map<string, { vectors: Float32Array; times: Float32Array }>();
    const table = await this.db.require(this.name);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await table.query().where(`id IN (${chunk.map(sqlString).join(', ')})`).select(['id', 'frame_vectors', 'frame_times']).toArray();
      for (const r of rows as Array<{ id: string; frame_vectors: { toArray(): Float32Array }; frame_times: { toArray(): Float32Array } }>) {
        out.set(String(r.id), { vectors: Float32Array.from(r.frame_vectors.toArray()), times: Float32Array.from(r.frame_times.toArray()) });
      }
    }
    return out;
  }

  /** Frame vectors (`frames × dim`) of the given segments, by segment id. */
  async frames(ids: string[]): Promise<Map<string, Float32Array>> {
    return new Map([...(await this.frameData(ids))].map(([id, d]) => [id, d.vectors]));
  }
}
