import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { parseJsonWith, writeJsonAtomic } from '../util/json-file.js';
import { AnnIndex } from './ann.js';
import type { IndexDb } from './database.js';
import type { SegmentInfo } from './segments.js';
import { SegmentTable } from './segments.js';
import { adaptedSchema } from './schema.js';

/** Tables `adapted_<key>`: one adapter's video head applied once to every stored segment. */
export const ADAPTED_PREFIX = 'adapted_';

/** One segment's vector through an adapter, with the video state it was computed from. */
export interface AdaptedRow {
  segment: SegmentInfo;
  /** The video's `videoStamp` when its segments were adapted: a re-indexed or relabelled video gets a new one. */
  stamp: string;
  vector: Float32Array;
}

/** What a refresh of the copy records: the adapter it holds and the index state it matches. */
const syncedSchema = z.object({ adapter: z.string(), versionKey: z.string(), rows: z.number().int().nonnegative(), synced: z.string() });
export type AdaptedSynced = z.infer<typeof syncedSchema>;

/**
 * An adapter's copy of the segment vectors, searched like `segments` (same filters, its own ANN
 * index). `<table>.json` beside it records which state of the index it matches.
 */
export class AdaptedStore {
  readonly name: string;
  readonly segments: SegmentTable;
  readonly ann: AnnIndex;

  constructor(
    private readonly db: IndexDb,
    readonly key: string,
    private readonly dim: number,
  ) {
    this.name = `${ADAPTED_PREFIX}${key}`;
    this.segments = new SegmentTable(db, this.name);
    this.ann = new AnnIndex(db, this.name);
  }

  private get syncedPath(): string {
    return join(this.db.dir, `${this.name}.json`);
  }

  async exists(): Promise<boolean> {
    return (await this.db.table(this.name)) !== undefined;
  }

  async create(): Promise<void> {
    await this.db.create(this.name, adaptedSchema(this.dim));
  }

  /** The index state the copy was last brought up to, or undefined (never, or the record is unreadable). */
  async synced(): Promise<AdaptedSynced | undefined> {
    return parseJsonWith(syncedSchema, await readFile(this.syncedPath, 'utf8').catch(() => undefined));
  }

  /** Records the state the copy now matches (temporary file + rename). */
  async markSynced(synced: AdaptedSynced): Promise<void> {
    await writeJsonAtomic(this.syncedPath, synced);
  }

  /** Forgets the recorded state (before a refresh changes rows, so a crash mid-way is never read as up to date). */
  async markUnsynced(): Promise<void> {
    await rm(this.syncedPath, { force: true });
  }

  /** Each video's stamp as the copy holds it. */
  async videoStamps(): Promise<Map<string, string>> {
    const table = await this.db.require(this.name);
    const out = new Map<string, string>();
    for (const r of (await table.query().select(['video_id', 'stamp']).toArray()) as Array<{ video_id: string; stamp: string }>) out.set(String(r.video_id), String(r.stamp));
    return out;
  }

  /** Removes the copy and its record (the next search through its adapter makes it again). */
  async drop(): Promise<void> {
    await this.markUnsynced();
    if (await this.exists()) await this.db.drop(this.name);
  }

  async add(rows: AdaptedRow[]): Promise<void> {
    await this.segments.addRecords(rows.map((r) => ({ ...r.segment, stamp: r.stamp, vector: Array.from(r.vector) })));
  }
}
