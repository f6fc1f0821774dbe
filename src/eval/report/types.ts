/** The JSON record every `vidlens eval` writes (`report.json`) and prints with `--json`. */
export interface EvalReport {
  kind: 'retrieval' | 'classify' | 'qa';
  vidlens: string;
  created: string;
  model: { id: string; sha256: string; dim: number } | null;
  dataset: { path: string; sha256: string; n: number; format: string };
  config: Record<string, unknown>;
  /** Names, sources and directions of every number in `metrics`. */
  definitions: Record<string, string>;
  metrics: Record<string, unknown>;
  domains: Record<string, { n: number; metrics: Record<string, unknown> }>;
  adapter: null | Record<string, unknown>;
  /** Retrieval: the reranker re-scoring each query's top results, if any. */
  reranker?: null | Record<string, unknown>;
  /** Per-query (retrieval), per-clip (classify) or per-item (qa) details. */
  details: Array<Record<string, unknown>>;
  /** Chart data: recall@K curves and the like. */
  curves?: Record<string, Array<Record<string, number>>>;
  warnings: string[];
}
