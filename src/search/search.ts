import { existsSync } from 'node:fs';
import { usageError } from '../core/errors.js';
import { adaptText, adaptVideo, type RetrievalAdapter } from '../heads/adapter/adapter.js';
import type { Encoder } from '../models/encoder.js';
import type { Reranker } from '../heads/reranker/reranker.js';
import { dot } from '../models/vectors.js';
import type { AdaptedStore } from '../store/adapted.js';
import type { Catalog, SegmentFilter, SegmentHit } from '../store/catalog.js';
import type { SegmentTable } from '../store/segments.js';
import type { MemoryIndex } from './memory-index.js';

export interface SearchResult {
  rank: number;
  /** Cosine similarity between the query and the segment's pooled vector (through the adapter, if any), or the reranker's score. */
  score: number;
  video: { id: string; path: string; domain: string };
  /** The segment's id (`VIDEO:INDEX`): what "more like this" and thumbnails take. */
  segment: string;
  /** Present (true) when the video's file is no longer at its path ('vidlens prune' removes such videos). */
  missing?: true;
  start: number;
  end: number;
}

export interface SearchResponse {
  query: string;
  model: string;
  k: number;
  results: SearchResult[];
}

export interface SearchOptions {
  k: number;
  filter: SegmentFilter;
  /** Scan every vector, past the ANN index (the in-memory search is always exact). */
  exact?: boolean;
}

/** Text-to-segment search over an opened catalog with a loaded encoder: embed, scan, join videos. */
export class SearchService {
  constructor(
    private readonly encoder: Encoder,
    private readonly catalog: Catalog,
    private readonly adapter?: RetrievalAdapter,
    private readonly reranker?: { model: Reranker; k: number },
    /** Held in memory for processes that search often (the server); without it, each search scans on disk. */
    private readonly memory?: MemoryIndex,
    /** The adapter's up-to-date copy of the segment vectors (searched by its ANN index), or undefined to scan through the adapter. */
    private readonly adaptedCopy?: () => Promise<AdaptedStore | undefined>,
  ) {}

  /** Re-scores first-stage hits with the reranker (on the frozen query and the segments' stored frames). */
  private async rerank<H extends { segment: { id: string }; score: number }>(query: Float32Array, hits: H[]): Promise<H[]> {
    const { model } = this.reranker!;
    const frames = await this.catalog.segments.frames(hits.map((h) => h.segment.id));
    const text = model.prepareText(query);
    return hits.map((h) => ({ ...h, score: model.score(text, model.prepareVideo(frames.get(h.segment.id)!), h.score) })).sort((a, b) => b.score - a.score);
  }

  /**
   * The nearest `k` segments of indexed videos. Segments of a video whose row is not written (a run
   * in progress, or one that was interrupted) are left out *before* the cut: the search asks for more
   * until `k` committed ones are found or the table has no more.
   */
  private async committedHits(query: Float32Array, k: number, filter: SegmentFilter, committed: (h: SegmentHit) => boolean, exact = false, table: SegmentTable = this.catalog.segments): Promise<SegmentHit[]> {
    for (let ask = k; ; ask *= 4) {
      const hits = await table.search(query, ask, filter, { exact });
      const kept = hits.filter(committed);
      if (kept.length >= k || hits.length < ask) return kept.slice(0, k);
    }
  }

  /**
   * Through an adapter: the query through its text head, searched in the adapter's stored copy of the
   * segment vectors (ANN past the threshold) — or, without an up-to-date copy (a read-only index that
   * has none), every stored vector through the video head in memory.
   */
  private async adaptedHits(query: Float32Array, k: number, filter: SegmentFilter, committed: (h: { segment: { video_id: string } }) => boolean, exact = false) {
    const adapter = this.adapter!;
    const dim = this.encoder.manifest.dim;
    const q = adaptText(adapter, query, dim);
    const copy = await this.adaptedCopy?.();
    if (copy) return this.committedHits(q, k, filter, committed, exact, copy.segments);
    const rows = (await this.catalog.segments.withVectors(filter, { frames: adapter.temporal !== undefined })).filter(committed);
    const scored = rows.map((r) => {
      const frames = r.frameVectors ?? new Float32Array(0);
      return { segment: r.segment, score: dot(q, adaptVideo(adapter, r.vector, frames, frames.length / dim, dim)) };
    });
    return scored.sort((a, b) => b.score - a.score).slice(0, k);
  }

  async search(query: string, options: SearchOptions): Promise<SearchResponse> {
    if (!query.trim()) throw usageError('the search text is empty');
    return this.searchEmbedded(query, await this.encoder.embedTexts([query]), options);
  }

  /** A text search whose query is already embedded (batch searches embed all their queries at once). */
  async searchEmbedded(query: string, vector: Float32Array, options: SearchOptions): Promise<SearchResponse> {
    return { query, model: this.encoder.manifest.id, k: options.k, results: await this.nearest(vector, options, true) };
  }

  /**
   * The segments nearest a vector in the model's space (a stored segment's, or an image's): an
   * exact scan of the raw vectors, since adapters and rerankers are trained on text queries.
   */
  async searchByVector(vector: Float32Array, options: SearchOptions & { exclude?: string }): Promise<SearchResult[]> {
    const extra = options.exclude === undefined ? 0 : 1;
    const results = await this.nearest(vector, { ...options, k: options.k + extra }, false);
    return results.filter((r) => r.segment !== options.exclude).slice(0, options.k).map((r, i) => ({ ...r, rank: i + 1 }));
  }

  private async nearest(vector: Float32Array, options: SearchOptions, heads: boolean): Promise<SearchResult[]> {
    const snapshot = await this.memory?.current();
    const videos = snapshot?.videos ?? (await this.catalog.videos.byId());
    const adapter = heads ? this.adapter : undefined;
    const reranker = heads ? this.reranker : undefined;
    const firstK = reranker ? Math.max(options.k, reranker.k) : options.k;
    const committed = (h: { segment: { video_id: string } }) => videos.has(h.segment.video_id);
    const first = adapter
      ? await this.adaptedHits(vector, firstK, options.filter, committed, options.exact)
      : snapshot
        ? await snapshot.nearest(vector, firstK, options.filter)
        : await this.committedHits(vector, firstK, options.filter, committed, options.exact);
    const hits = (reranker ? await this.rerank(vector, first) : first).slice(0, options.k);
    const present = new Map<string, boolean>();
    const exists = (path: string) => present.get(path) ?? present.set(path, existsSync(path)).get(path)!;
    return hits.map((h, i) => {
      const video = videos.get(h.segment.video_id)!;
      return {
        rank: i + 1,
        score: h.score,
        video: { id: video.id, path: video.path, domain: video.domain },
        segment: h.segment.id,
        start: h.segment.start,
        end: h.segment.end,
        ...(exists(video.path) ? {} : { missing: true as const }),
      };
    });
  }

  /** Resolves `--video` given as an id or as the path of an indexed video. */
  async resolveVideo(video: string): Promise<string> {
    const videos = await this.catalog.videos.all();
    const exact = videos.filter((v) => v.id === video || v.path === video);
    const matches = exact.length ? exact : videos.filter((v) => v.path.endsWith(`/${video}`));
    if (matches.length === 0) throw usageError(`--video ${video}: no indexed video has this id or path`);
    if (matches.length > 1) throw usageError(`--video ${video}: matches ${matches.length} indexed videos (${matches.slice(0, 5).map((v) => v.path).join(', ')}${matches.length > 5 ? ', …' : ''}); give a longer path or the id`);
    return matches[0].id;
  }

  /** Refuses a `--domain` no indexed video has, naming the ones there are (a typo would otherwise read as "no results"). */
  async assertDomain(domain: string): Promise<void> {
    const known = [...new Set((await this.catalog.videos.all()).map((v) => v.domain))].sort();
    if (!known.includes(domain)) throw usageError(`--domain ${domain}: no indexed video has this domain (the index has: ${known.map((d) => d || '(none)').join(', ')})`);
  }
}
