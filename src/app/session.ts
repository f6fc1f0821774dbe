import { inputError, usageError } from '../core/errors.js';
import { imageToFrame } from '../media/image.js';
import type { OnProgress } from '../core/events.js';
import { embedTexts } from '../features/captions.js';
import { embedBatch } from '../indexing/embed-loop.js';
import { adaptedForSearch } from '../indexing/adapted.js';
import { openIndex } from '../indexing/open.js';
import type { Encoder } from '../models/encoder.js';
import { loadRankers } from '../heads/rankers.js';
import { MAX_SEARCH_K, SEARCH_K, SEARCH_RERANK_K } from '../search/defaults.js';
import { MemoryIndex } from '../search/memory-index.js';
import { SearchService, type SearchOptions, type SearchResponse, type SearchResult } from '../search/search.js';
import type { Catalog, SegmentFilter, SegmentInfo } from '../store/catalog.js';
import type { VideoRow } from '../store/schema.js';
import { indexInfo, type IndexInfo } from '../store/info.js';

export interface SessionOptions {
  /** Folder or hub id; must be the index's model (the default). */
  model?: string;
  threads?: number;
  /**
   * Hold the index's vectors in memory and search them there (reloaded after each commit): for a
   * process that searches many times, like the server. A one-off search scans on disk instead.
   */
  memory?: boolean;
  /** Progress of long work a search may start (the first build of an adapter's copy of the vectors). */
  onProgress?: OnProgress;
}

export interface SearchRequest {
  /** Default `SEARCH_K` (10). */
  k?: number;
  domain?: string;
  /** A video id, or the path of an indexed video. */
  video?: string;
  /** Only segments overlapping `[from, to]` seconds of their video. */
  from?: number;
  to?: number;
  /** A retrieval adapter folder; ranks through its heads (in its stored copy of the segment vectors, built on first use). */
  adapter?: string;
  /** A reranker folder: the first stage's top `rerankK` results are re-scored by it. */
  reranker?: string;
  rerankK?: number;
  /** Scan every vector, past the ANN index. */
  exact?: boolean;
}

/**
 * An opened index with its model loaded once: what the CLI runs one command on and a server keeps
 * for its lifetime. Search services (one per adapter/reranker pair) are built on first use and kept.
 */
export class Session {
  private readonly services = new Map<string, Promise<SearchService>>();

  private constructor(
    readonly db: string,
    readonly catalog: Catalog,
    readonly encoder: Encoder,
    private readonly memory: MemoryIndex | undefined,
    private readonly onProgress: OnProgress | undefined,
  ) {}

  /** Opens an existing index and loads its model (another model is refused). */
  static async open(db: string, options: SessionOptions = {}): Promise<Session> {
    const { catalog, encoder } = await openIndex(db, { model: options.model, threads: options.threads, create: false });
    return new Session(db, catalog, encoder, options.memory ? new MemoryIndex(catalog, encoder.manifest.dim) : undefined, options.onProgress);
  }

  private service(adapter: string | undefined, reranker: string | undefined, rerankK: number): Promise<SearchService> {
    const key = JSON.stringify([adapter ?? null, reranker ?? null, rerankK]);
    let service = this.services.get(key);
    if (!service) {
      service = loadRankers({ adapter, reranker }, this.encoder.manifest).then((r) => {
        const heads = r.adapter;
        const copy = heads ? () => adaptedForSearch(this.catalog, heads, { onProgress: this.onProgress }) : undefined;
        return new SearchService(this.encoder, this.catalog, r.adapter, r.reranker ? { model: r.reranker.reranker, k: rerankK } : undefined, this.memory, copy);
      });
      // A folder that failed to load is not remembered: the next request tries it again.
      service.catch(() => this.services.delete(key));
      this.services.set(key, service);
    }
    return service;
  }

  /** The service for a request's heads, with its `k` and filter checked and resolved. */
  private async prepare(request: SearchRequest): Promise<{ service: SearchService; options: SearchOptions }> {
    const k = request.k ?? SEARCH_K;
    if (!Number.isInteger(k) || k < 1 || k > MAX_SEARCH_K) throw usageError(`--k ${request.k}: must be a whole number from 1 to ${MAX_SEARCH_K}`);
    if (request.from !== undefined && request.to !== undefined && request.from > request.to) throw usageError(`--from ${request.from} is after --to ${request.to}`);
    const service = await this.service(request.adapter, request.reranker, request.rerankK ?? SEARCH_RERANK_K);
    const filter: SegmentFilter = { from: request.from, to: request.to };
    if (request.domain !== undefined) {
      await service.assertDomain(request.domain);
      filter.domain = request.domain;
    }
    if (request.video !== undefined) filter.videoId = await service.resolveVideo(request.video);
    return { service, options: { k, filter, exact: request.exact } };
  }

  /** Text-to-segment search: the best `k` (default 10) segments with their time spans. */
  async search(query: string, request: SearchRequest = {}): Promise<SearchResponse> {
    const { service, options } = await this.prepare(request);
    return service.search(query, options);
  }

  /**
   * Many text searches with one set of filters: the queries are embedded in batches, then each is
   * searched. Responses come in query order.
   */
  async searchMany(queries: string[], request: SearchRequest = {}, onProgress?: OnProgress): Promise<SearchResponse[]> {
    const blank = queries.findIndex((q) => !q.trim());
    if (blank >= 0) throw usageError(`query ${blank + 1} is empty`);
    const { service, options } = await this.prepare(request);
    const vectors = await embedTexts(this.encoder, queries);
    const dim = this.encoder.manifest.dim;
    const out: SearchResponse[] = [];
    for (const [i, query] of queries.entries()) {
      out.push(await service.searchEmbedded(query, vectors.subarray(i * dim, (i + 1) * dim), options));
      onProgress?.({ task: 'searching', done: i + 1, total: queries.length, unit: 'queries' });
    }
    return out;
  }

  /** "More like this": the segments nearest an indexed segment (itself left out). Adapters and rerankers do not apply. */
  async similarToSegment(segmentId: string, request: Omit<SearchRequest, 'adapter' | 'reranker' | 'rerankK'> = {}): Promise<SearchResult[]> {
    const stored = await this.catalog.segments.get(segmentId);
    if (!stored) throw inputError(`segment ${segmentId}: not in the index`);
    const { service, options } = await this.prepare(request);
    return service.searchByVector(stored.vector, { ...options, exclude: segmentId });
  }

  /** The segments nearest an image (its bytes, in any format sharp reads), embedded as one frame. */
  async similarToImage(bytes: Uint8Array, name: string, request: Omit<SearchRequest, 'adapter' | 'reranker' | 'rerankK'> = {}): Promise<SearchResult[]> {
    const frame = await imageToFrame(bytes, this.encoder.manifest.frame, name);
    const { service, options } = await this.prepare(request);
    // With the index's test-time augmentation, so the image lands where its video frames would.
    const vector = await embedBatch(this.encoder, [frame], this.catalog.manifest?.tta ?? 'none');
    return service.searchByVector(vector, options);
  }

  /** Indexed videos (optionally of one domain), by path. */
  async videos(filter: { domain?: string } = {}): Promise<VideoRow[]> {
    const all = await this.catalog.videos.all();
    return all.filter((v) => filter.domain === undefined || v.domain === filter.domain).sort((a, b) => a.path.localeCompare(b.path));
  }

  async video(id: string): Promise<VideoRow | undefined> {
    return (await this.catalog.videos.all()).find((v) => v.id === id);
  }

  /** A video's segments in time order. */
  segments(videoId: string): Promise<SegmentInfo[]> {
    return this.catalog.segments.list({ videoId });
  }

  async segment(id: string): Promise<SegmentInfo | undefined> {
    return (await this.catalog.segments.get(id))?.segment;
  }

  info(): Promise<IndexInfo> {
    return indexInfo(this.db);
  }

  async close(): Promise<void> {
    await this.memory?.dispose();
    await this.encoder.dispose();
  }
}

/** Opens a session, runs `fn` on it and closes it: one CLI command's lifetime. */
export async function withSession<T>(db: string, options: SessionOptions, fn: (session: Session) => Promise<T>): Promise<T> {
  const session = await Session.open(db, options);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
