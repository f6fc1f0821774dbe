/** First-stage results a reranker re-scores per query at search time (at least `k`). */
export const SEARCH_RERANK_K = 50;
