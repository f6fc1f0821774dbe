import { VidlensError } from '../core/errors.js';
import type { EpochEvent } from '../core/events.js';
import type { Rng } from '../util/random.js';

export interface EpochRecord {
  epoch: number;
  loss: number;
  validation: number;
}

export interface LoopOptions<W> {
  epochs: number;
  /** Epochs without a better validation score before stopping. */
  patience: number;
  /** One pass over the training data; returns the mean training loss. */
  trainEpoch: (epoch: number) => Promise<number> | number;
  /** The validation score early stopping watches (higher is better) and what to keep of the model at it. */
  validate: () => { score: number; snapshot: () => W };
  /** The score and model before any training (the zero-shot start a degradation-free head must not fall below). */
  start: { score: number; snapshot: W };
  /** What to suggest when the loss is not finite, e.g. "try --lr 1e-4". */
  divergenceHint: string;
  onEpoch?: (e: EpochEvent) => void;
}

export interface LoopResult<W> {
  best: { score: number; epoch: number; snapshot: W };
  history: EpochRecord[];
}

/**
 * The training loop every trainer runs: epochs of `trainEpoch`, a clear stop on a non-finite loss
 * (naming the epoch), validation after each epoch with progress reported, the best epoch's snapshot
 * kept (epoch 0 is the start), and early stopping after `patience` epochs without improvement.
 */
export async function trainLoop<W>(o: LoopOptions<W>): Promise<LoopResult<W>> {
  let best = { score: o.start.score, epoch: 0, snapshot: o.start.snapshot };
  const history: EpochRecord[] = [];
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const loss = await o.trainEpoch(epoch);
    if (!Number.isFinite(loss)) throw new VidlensError(`training diverged at epoch ${epoch} (loss ${loss}): ${o.divergenceHint}`);
    const { score, snapshot } = o.validate();
    history.push({ epoch, loss, validation: score });
    o.onEpoch?.({ epoch, epochs: o.epochs, loss, validation: score });
    if (score > best.score) best = { score, epoch, snapshot: snapshot() };
    else if (epoch - best.epoch >= o.patience) break;
    // An epoch is synchronous tensor work: let timers (progress, lease heartbeats, a host's RPC) run between epochs.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { best, history };
}

/**
 * One epoch of minibatches over the training examples in a fresh shuffled order: `step` takes a batch's
 * indices and returns its mean loss; the result is the epoch's mean loss per example.
 */
export function minibatchEpoch(rng: Rng, train: readonly number[], batchSize: number, step: (idx: number[]) => number): number {
  const order = rng.shuffle(train);
  let lossSum = 0;
  for (let s = 0; s < order.length; s += batchSize) {
    const idx = order.slice(s, s + batchSize);
    lossSum += step(idx) * idx.length;
  }
  return lossSum / order.length;
}

/** What a diverging readout's error suggests. */
export const lrHint = (lr: number) => `likely a learning rate too high (try --lr ${lr / 10})`;
