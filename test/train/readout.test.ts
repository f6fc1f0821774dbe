import { beforeAll, describe, expect, it } from 'vitest';
import { applyStandard } from '../../src/heads/readout/standardise.js';
import { fitReadout } from '../../src/train/readout.js';
import { ReadoutNet } from '../../src/heads/readout/readout-net.js';
import { initTf, tf } from '../../src/heads/tf.js';
import { Rng } from '../../src/util/random.js';

const clips = 40;
const steps = 4;
const dim = 8;
const classes = 3;

describe('readouts', () => {
  beforeAll(async () => {
    await initTf();
  });

  for (const head of ['mean', 'temporal', 'attentive'] as const) {
    it(`${head}: releases every tensor it made, and its saved weights reproduce its logits`, async () => {
      const rng = new Rng(4);
      const frames = Float32Array.from({ length: clips * steps * dim }, () => rng.normal());
      const labels = Array.from({ length: clips }, (_, i) => i % classes);
      const before = tf.memory().numTensors;
      const fit = await fitReadout({ frames, clips, steps, dim, labels, classes, train: [...Array(30).keys()], val: [30, 31, 32, 33, 34, 35, 36, 37, 38, 39], head, epochs: 4, batchSize: 8 });
      expect(tf.memory().numTensors).toBe(before);
      const net = new ReadoutNet(head, steps, dim, classes, 99, fit.weights);
      const logits = tf.tidy(() => net.forward(tf.tensor3d(applyStandard(frames, fit.standard, dim), [clips, steps, dim])).dataSync());
      net.dispose();
      logits.forEach((v, i) => expect(v).toBeCloseTo(fit.logits[i], 4));
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
