/**
 * The one progress event of every long piece of work (indexing, embedding clips, reranking,
 * answering questions, rendering the synthetic set, a regularisation sweep, training epochs): what is
 * being done, how far of how much, in which unit, and on what item. The CLI draws it as a bar on a
 * terminal; a server streams it.
 */
export interface Progress {
  /** What is being done, e.g. `indexing`, `embedding clips`. */
  task: string;
  done: number;
  total: number;
  /** What `done` counts, e.g. `frames`, `files`, `epochs`. */
  unit: string;
  /** The file or detail at hand (e.g. the current video, or `loss 0.31 · val mAP 0.42`). */
  item?: string;
}

export type OnProgress = (progress: Progress) => void;

/** What every trainer reports after each epoch: the mean training loss and the validation score early stopping watches. */
export interface EpochEvent {
  epoch: number;
  epochs: number;
  loss: number;
  validation: number;
}
