/**
 * The default peak learning rate. SciVid's recipe says 3e-4 for long runs on large sets; on a few
 * hundred clips and ≤ 150 epochs that undertrains. Chosen on validation accuracy of the synthetic
 * motion set (`npm run bench:readout-lr`, figures in BENCHMARKS.md).
 */
export const READOUT_LR = 1e-2;

/** Attention width of the retrieval adapter's temporal head when `--temporal` names none. */
export const TEMPORAL_WIDTH = 64;

/** `train retrieval`: the adapter trainer's defaults (the CLI shows and uses these). */
export const RETRIEVAL_DEFAULTS = { epochs: 20, batchSize: 128, lr: 1e-3, temperature: 0.05, margin: 0.2, patience: 3, metaShare: 0.1, seed: 0 } as const;

/** `train rerank`: the reranker trainer's defaults; `batchSize` counts captions. */
export const RERANK_DEFAULTS = { epochs: 10, batchSize: 16, candidates: 16, width: 64, heads: 4, lr: 1e-3, temperature: 0.05, patience: 3, seed: 0 } as const;

/** `train readout`: epochs, batch, patience and seed of the readouts (the learning rate is `READOUT_LR`). */
export const READOUT_DEFAULTS = { epochs: 150, batchSize: 32, patience: 40, weightDecay: 1e-4, seed: 0 } as const;
