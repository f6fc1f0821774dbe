import type { IndexDb } from './database.js';
import { arrowRow } from './segments.js';
import { segmentSchema, sqlString, type SegmentRow } from './schema.js';

/** Labelled clips embedded at their exact spans for evaluation and training (same columns as segments). */
const CLIPS = 'clips';

export interface CachedClip {
  vector: Float32Array;
  frameVectors: Float32Array;
}

/**
 * The `clips` table: features of labelled clips, cached so that a second `eval` or `train` on the
 * same dataset embeds nothing. A clip is keyed by its video's content id and its span (to the
 * millisecond), so moving a video keeps its cached clips and editing it invalidates them.
 */
export class ClipCache {
  constructor(
    private readonly db: IndexDb,
    private readonly shape: () => { dim: number; frames: number },
  ) {}

  static key(videoId: string, start: number, end: number): string {
    return `${videoId}@${start.toFixed(3)}-${end.toFixed(3)}`;
  }

  /** Stored clips by key; absent keys are missing from the map. */
  async get(keys: string[]): Promise<Map<string, CachedClip>> {
    const out = new Map<string, CachedClip>();
    const table = await this.db.table(CLIPS);
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

  /** Stores clips (rows whose `id` is their key), replacing any with the same key. */
  async put(rows: SegmentRow[]): Promise<void> {
    if (rows.length === 0) return;
    const { dim, frames } = this.shape();
    const table = await this.db.create(CLIPS, segmentSchema(dim, frames));
    await table.delete(`id IN (${rows.map((r) => sqlString(r.id)).join(', ')})`);
    await table.add(rows.map(arrowRow));
  }
}
