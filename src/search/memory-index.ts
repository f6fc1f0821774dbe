import { DotScorer } from '../models/dot-scorer.js';
import type { Catalog, SegmentFilter, SegmentHit, SegmentInfo } from '../store/catalog.js';
import type { VideoRow } from '../store/schema.js';

/** The most vector values held in memory (256 MiB of float32); a larger index is searched on disk. */
export const MEMORY_INDEX_MAX_VALUES = 64 * 1024 * 1024;

/** The committed segments of an index at one version, with their pooled vectors packed row by row. */
export class SegmentSnapshot {
  constructor(
    readonly videos: Map<string, VideoRow>,
    readonly segments: SegmentInfo[],
    readonly vectors: Float32Array,
    private readonly scorer: DotScorer,
  ) {}

  /** Exact cosine nearest neighbours (vectors are unit length: a dot product) among segments passing `filter`. */
  async nearest(query: Float32Array, k: number, filter: SegmentFilter): Promise<SegmentHit[]> {
    const scores = await this.scorer.scores(query, this.vectors);
    const heap = new TopK(k);
    const filtered = filter.domain !== undefined || filter.videoId !== undefined || filter.from !== undefined || filter.to !== undefined;
    for (let i = 0; i < scores.length; i++) {
      if (filtered && !passes(this.segments[i], filter)) continue;
      heap.push(i, scores[i]);
    }
    return heap.sorted().map(({ index, score }) => ({ segment: this.segments[index], score }));
  }
}

function passes(s: SegmentInfo, filter: SegmentFilter): boolean {
  return (filter.domain === undefined || s.domain === filter.domain)
    && (filter.videoId === undefined || s.video_id === filter.videoId)
    && (filter.from === undefined || s.end > filter.from)
    && (filter.to === undefined || s.start < filter.to);
}

/** The best `k` (index, score) pairs seen, kept in a min-heap on score. */
class TopK {
  private readonly items: Array<{ index: number; score: number }> = [];

  constructor(private readonly k: number) {}

  push(index: number, score: number): void {
    const items = this.items;
    if (items.length < this.k) {
      items.push({ index, score });
      for (let i = items.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (items[parent].score <= items[i].score) break;
        [items[parent], items[i]] = [items[i], items[parent]];
        i = parent;
      }
    } else if (this.k > 0 && score > items[0].score) {
      items[0] = { index, score };
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < items.length && items[l].score < items[min].score) min = l;
        if (r < items.length && items[r].score < items[min].score) min = r;
        if (min === i) break;
        [items[min], items[i]] = [items[i], items[min]];
        i = min;
      }
    }
  }

  /** Best first; equal scores in index order, as a stable scan would give them. */
  sorted(): Array<{ index: number; score: number }> {
    return [...this.items].sort((a, b) => b.score - a.score || a.index - b.index);
  }
}

/**
 * The index's committed segments held in memory, for a process that searches many times (the
 * server): each search checks the tables' versions (two metadata reads) and reloads only after a
 * commit, so a running index job's videos appear as they are committed. Concurrent searches share
 * one reload. An index too large for `maxValues` is not held (`current` gives undefined).
 */
export class MemoryIndex {
  private snapshot: { key: string; value: SegmentSnapshot | undefined } | undefined;
  private loading: Promise<SegmentSnapshot | undefined> | undefined;
  private scorer: Promise<DotScorer> | undefined;

  constructor(
    private readonly catalog: Catalog,
    private readonly dim: number,
    private readonly maxValues = MEMORY_INDEX_MAX_VALUES,
  ) {}

  async current(): Promise<SegmentSnapshot | undefined> {
    const key = await this.catalog.versionKey();
    if (this.snapshot?.key === key) return this.snapshot.value;
    this.loading ??= this.load(key).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(key: string): Promise<SegmentSnapshot | undefined> {
    let value: SegmentSnapshot | undefined;
    if ((await this.catalog.segments.count()) * this.dim <= this.maxValues) {
      const videos = new Map((await this.catalog.videos.all()).map((v) => [v.id, v]));
      // Segments of videos without a row (a run in progress) are left out, as on disk.
      const rows = (await this.catalog.segments.withVectors()).filter((r) => videos.has(r.segment.video_id));
      const vectors = new Float32Array(rows.length * this.dim);
      rows.forEach((r, i) => vectors.set(r.vector, i * this.dim));
      this.scorer ??= DotScorer.create(this.dim);
      value = new SegmentSnapshot(videos, rows.map((r) => r.segment), vectors, await this.scorer);
    }
    this.snapshot = { key, value };
    return value;
  }

  async dispose(): Promise<void> {
    await (await this.scorer)?.dispose();
  }
}
