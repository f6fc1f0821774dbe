import { readFile } from 'node:fs/promises';
import { describeError, inputError, usageError } from '../core/errors.js';
import type { SearchRequest } from '../app/session.js';
import type { SearchResponse } from '../search/search.js';

/** The token `vidlens search --server` sends: from `--token-file`, else `VIDLENS_TOKEN`. */
export async function clientToken(tokenFile: string | undefined, fromEnv: string | undefined): Promise<string | undefined> {
  if (!tokenFile) return fromEnv;
  const text = await readFile(tokenFile, 'utf8').catch((error: Error) => {
    throw inputError(`--token-file ${tokenFile}: cannot read it (${describeError(error)})`);
  });
  return text.trim();
}

/**
 * Runs a search on a running `vidlens serve` (its model already loaded): the same response as a
 * local search. `adapter` and `reranker` are names the server was started with.
 */
export async function remoteSearch(server: string, query: string, request: SearchRequest, token?: string): Promise<SearchResponse> {
  let url: URL;
  try {
    url = new URL('/api/search', server);
  } catch {
    throw usageError(`--server ${server}: not a URL (expected e.g. http://127.0.0.1:8080)`);
  }
  const params: Record<string, string | number | undefined> = { q: query, k: request.k, domain: request.domain, video: request.video, from: request.from, to: request.to, adapter: request.adapter, reranker: request.reranker };
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, String(value));
  const response = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} }).catch((error: Error & { cause?: { code?: string } }) => {
    throw usageError(`--server ${server}: cannot reach it (${error.cause?.code ?? describeError(error)}); is 'vidlens serve' running there?`);
  });
  const body = (await response.json().catch(() => ({}))) as SearchResponse & { error?: string };
  if (response.status === 401) throw usageError(`--server ${server}: the server needs its token (give --token-file FILE or set VIDLENS_TOKEN)`);
  if (!response.ok) throw usageError(`--server ${server}: ${body.error ?? `HTTP ${response.status}`}`);
  return { query: body.query, model: body.model, k: body.k, results: body.results };
}
