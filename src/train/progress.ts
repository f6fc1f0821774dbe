/** What every trainer reports after each epoch: the mean training loss and the validation score early stopping watches. */
export interface EpochEvent {
  epoch: number;
  epochs: number;
  loss: number;
  validation: number;
}

/** Progress while clips are embedded (or, for the probe, over its λ sweep). */
export type ProgressCallback = (done: number, total: number, label: string) => void;
