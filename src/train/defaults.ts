/**
 * The default peak learning rate. SciVid's recipe says 3e-4 for long runs on large sets; on a few
 * hundred clips and ≤ 150 epochs that undertrains. Chosen on validation accuracy of the synthetic
 * motion set (`npm run bench:readout-lr`, figures in BENCHMARKS.md).
 */
export const READOUT_LR = 1e-2;

/** Attention width of the retrieval adapter's temporal head when `--temporal` names none. */
export const TEMPORAL_WIDTH = 64;
