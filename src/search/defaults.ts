/** Results a search returns unless asked for another `k`. */
export const SEARCH_K = 10;

/** First-stage results a reranker re-scores per query at search time (at least `k`). */
export const SEARCH_RERANK_K = 50;
