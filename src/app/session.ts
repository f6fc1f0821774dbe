import { usageError } from '../core/errors.js';
import { openIndex } from '../indexing/open.js';
import type { Encoder } from '../models/encoder.js';
import { loadRankers } from '../heads/rankers.js';
import { MAX_SEARCH_K, SEARCH_K, SEARCH_RERANK_K } from '../search/defaults.js';
import { SearchService, type SearchResponse } from '../search/search.js';
import type { Catalog, SegmentFilter } from '../store/catalog.js';
import { indexInfo, type IndexInfo } from '../store/info.js';

export interface SessionOptions {
  /** Folder or hub id; must be the index's model (the default). */
  model?: string;
  threads?: number;
}

export interface SearchRequest {
  /** Default `SEARCH_K` (10). */
  k?: number;
  domain?: string;
  /** A video id, or the path of an indexed video. */
  video?: string;
  /** A retrieval adapter folder; ranks through its heads (an exact scan). */
  adapter?: string;
  /** A reranker folder: the first stage's top `rerankK` results are re-scored by it. */
  reranker?: string;
  rerankK?: number;
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
  ) {}

  /** Opens an existing index and loads its model (another model is refused). */
  static async open(db: string, options: SessionOptions = {}): Promise<Session> {
    const { catalog, encoder } = await openIndex(db, { model: options.model, threads: options.threads, create: false });
    return new Session(db, catalog, encoder);
  }

  private service(adapter: string | undefined, reranker: string | undefined, rerankK: number): Promise<SearchService> {
    const key = JSON.stringify([adapter ?? null, reranker ?? null, rerankK]);
    let service = this.services.get(key);
    if (!service) {
      service = loadRankers({ adapter, reranker }, this.encoder.manifest).then(
        (r) => new SearchService(this.encoder, this.catalog, r.adapter, r.reranker ? { model: r.reranker.reranker, k: rerankK } : undefined),
      );
      // A folder that failed to load is not remembered: the next request tries it again.
      service.catch(() => this.services.delete(key));
      this.services.set(key, service);
    }
    return service;
  }

  /** Text-to-segment search: the best `k` (default 10) segments with their time spans. */
  async search(query: string, request: SearchRequest = {}): Promise<SearchResponse> {
    const k = request.k ?? SEARCH_K;
    if (!Number.isInteger(k) || k < 1 || k > MAX_SEARCH_K) throw usageError(`--k ${request.k}: must be a whole number from 1 to ${MAX_SEARCH_K}`);
    const service = await this.service(request.adapter, request.reranker, request.rerankK ?? SEARCH_RERANK_K);
    const filter: SegmentFilter = {};
    if (request.domain !== undefined) {
      await service.assertDomain(request.domain);
      filter.domain = request.domain;
    }
    if (request.video !== undefined) filter.videoId = await service.resolveVideo(request.video);
    return service.search(query, { k, filter });
  }

  info(): Promise<IndexInfo> {
    return indexInfo(this.db);
  }

  async close(): Promise<void> {
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
