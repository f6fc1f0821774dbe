/** Results a search returns unless asked for another `k`. */
export const SEARCH_K = 10;

/** The most results one search returns (LanceDB takes the limit as a 32-bit count; larger asks are refused, not wrapped). */
export const MAX_SEARCH_K = 100_000;

/** First-stage results a reranker re-scores per query at search time (at least `k`). */
export const SEARCH_RERANK_K = 50;
