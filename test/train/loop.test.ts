import { describe, expect, it } from 'vitest';
import { trainLoop } from '../../src/train/loop.js';

/** A loop over a scripted sequence of validation scores; the snapshot is the epoch it was taken at. */
function scripted(scores: number[], losses: number[] = scores.map(() => 1), patience = 2) {
  let epoch = 0;
  const events: number[] = [];
  return {
    events,
    run: () =>
      trainLoop({
        epochs: scores.length,
        patience,
        start: { score: 0.5, snapshot: 0 },
        divergenceHint: 'try --lr 0.0001',
        trainEpoch: (e) => {
          epoch = e;
          return losses[e - 1];
        },
        validate: () => ({ score: scores[epoch - 1], snapshot: () => epoch }),
        onEpoch: (e) => events.push(e.epoch),
      }),
  };
}

describe('the training loop', () => {
  it('keeps the best epoch and stops after `patience` epochs without improvement', async () => {
    const loop = scripted([0.6, 0.7, 0.65, 0.69, 0.9]);
    const { best, history } = await loop.run();
    expect(best).toEqual({ score: 0.7, epoch: 2, snapshot: 2 });
    expect(history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect(loop.events).toEqual([1, 2, 3, 4]);
  });

  it('keeps the start (epoch 0) when no epoch beats it', async () => {
    const { best } = await scripted([0.4, 0.5, 0.3]).run();
    expect(best).toEqual({ score: 0.5, epoch: 0, snapshot: 0 });
  });

  it('stops on a non-finite loss, naming the epoch and the hint', async () => {
    await expect(scripted([0.6, 0.7], [1, Number.NaN]).run()).rejects.toThrow('training diverged at epoch 2 (loss NaN): try --lr 0.0001');
  });
});
