import { beforeAll, describe, expect, it } from 'vitest';
import { fitReadout } from '../../src/train/readout.js';
import { fitReranker } from '../../src/train/rerank.js';
import { fitRetrievalHeads, type RetrievalLoss } from '../../src/train/retrieval.js';
import { linearProbe } from '../../src/train/probe.js';
import { initTf } from '../../src/heads/tf.js';
import { planted, type Planted } from '../helpers/planted.js';

/**
 * Each trainer on features with a planted structure: a trainer that does not learn fails these.
 * Margins are about half of what was measured (seed 0): retrieval val mAP 0.18 → 1.00 (angular-meta
 * 0.99), temporal vs linear heads on frame order 1.00 vs 0.67, reranker t2v mAP 0.34 → 0.84, readouts 100 %
 * (chance 25 %), order readouts 100 % vs mean pooling 56 % (it can only tell the pair, not the order).
 */

function retrievalInput(p: Planted) {
  const captionClip = [...Array(p.clips).keys()];
  const own = new Map(p.train.map((i) => [i, [i]]));
  return { text: p.text, video: p.video, dim: p.dim, captionClip, rel: p.rel, trainClips: p.train, valClips: p.val, valCaps: p.val, positives: own, trainCaps: own };
}

const log = (what: string, from: number, to: number) => console.log(`${what}: ${from.toFixed(3)} → ${to.toFixed(3)}`);

describe('trainers learn a planted structure', () => {
  beforeAll(async () => {
    await initTf();
  });

  for (const loss of ['infonce', 'sms', 'angular'] as RetrievalLoss[]) {
    it(`retrieval heads (${loss}) recover a mixing the frozen cosine cannot see`, async () => {
      const p = planted({ clips: 160, classes: 8 });
      const fit = await fitRetrievalHeads({ ...retrievalInput(p), loss, epochs: 30, batchSize: 32, lr: 1e-2, patience: 30, seed: 0 });
      log(`val mAP ${loss}`, fit.zeroShot, fit.best.score);
      expect(fit.best.score - fit.zeroShot).toBeGreaterThan(0.5);
    });
  }

  it('angular + meta-reweighting learns it too', async () => {
    const p = planted({ clips: 160, classes: 8 });
    const meta = p.train.filter((i) => i % 8 === 0);
    const input = retrievalInput(p);
    const trainClips = p.train.filter((i) => i % 8 !== 0);
    const fit = await fitRetrievalHeads({ ...input, trainClips, metaClips: meta, loss: 'angular-meta', epochs: 30, batchSize: 32, lr: 1e-2, patience: 30, seed: 0 });
    log('val mAP angular-meta', fit.zeroShot, fit.best.score);
    expect(fit.best.score - fit.zeroShot).toBeGreaterThan(0.5);
  });

  it('the temporal head tells apart clips that differ only in frame order; linear heads on mean pooling cannot', async () => {
    const p = planted({ clips: 160, classes: 8, ordered: true, steps: 6 });
    const input = retrievalInput(p);
    const frames = { data: p.frames, steps: p.steps };
    const linear = await fitRetrievalHeads({ ...input, loss: 'infonce', epochs: 40, batchSize: 32, lr: 1e-2, patience: 40, seed: 0 });
    const temporal = await fitRetrievalHeads({ ...input, frames, temporalWidth: 16, loss: 'infonce', epochs: 40, batchSize: 32, lr: 1e-2, patience: 40, seed: 0 });
    log('val mAP linear on order', linear.zeroShot, linear.best.score);
    log('val mAP temporal on order', temporal.zeroShot, temporal.best.score);
    expect(temporal.best.score - linear.best.score).toBeGreaterThan(0.2);
  });

  it('the reranker lifts a first stage that cannot see the planted mixing', async () => {
    const p = planted({ clips: 120, classes: 6 });
    const shape = { dim: p.dim, steps: p.steps, width: 16, heads: 2, hidden: 32 };
    const fit = await fitReranker({
      text: p.text, video: p.video, frames: p.frames, rel: p.rel, captionClip: [...Array(p.clips).keys()], trainClips: p.train, valClips: p.val, shape,
      epochs: 20, batchSize: 16, candidates: 12, rerankK: 30, lr: 3e-3, temperature: 0.05, patience: 20, seed: 0,
    });
    log('val t2v mAP reranker', fit.firstStage, fit.best.score);
    expect(fit.best.score - fit.firstStage).toBeGreaterThan(0.3);
  });

  for (const head of ['mean', 'temporal', 'attentive'] as const) {
    it(`readout (${head}) classifies the planted classes`, async () => {
      const p = planted({ clips: 160, classes: 4 });
      const fit = await fitReadout({ frames: p.frames, clips: p.clips, steps: p.steps, dim: p.dim, labels: p.labels, classes: p.classes, train: p.train, val: p.val, head, epochs: 30, batchSize: 16 });
      console.log(`readout ${head} val accuracy ${fit.valAccuracy}`);
      expect(fit.valAccuracy).toBeGreaterThan(0.9);
    });
  }

  it('order readouts: temporal and attentive heads see frame order, mean pooling stays near chance', async () => {
    const p = planted({ clips: 160, classes: 4, ordered: true, steps: 6 });
    const acc: Record<string, number> = {};
    for (const head of ['mean', 'temporal', 'attentive'] as const) {
      const fit = await fitReadout({ frames: p.frames, clips: p.clips, steps: p.steps, dim: p.dim, labels: p.labels, classes: p.classes, train: p.train, val: p.val, head, epochs: 60, batchSize: 16 });
      acc[head] = fit.valAccuracy;
    }
    console.log('order readouts val accuracy', acc);
    expect(acc.mean).toBeLessThan(0.65);
    expect(acc.temporal).toBeGreaterThan(0.85);
    expect(acc.attentive).toBeGreaterThan(0.85);
  });

  it('the linear probe separates linearly planted classes', async () => {
    const p = planted({ clips: 160, classes: 4 });
    const fit = await linearProbe({ features: p.video, dim: p.dim, labels: p.labels, classes: p.classes, train: p.train, val: p.val });
    console.log(`probe val accuracy ${fit.valAccuracy} (λ ${fit.lambda})`);
    expect(fit.valAccuracy).toBeGreaterThan(0.9);
  });
});
