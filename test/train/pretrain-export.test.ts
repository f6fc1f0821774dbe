import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf, tf } from '../../src/heads/tf.js';
import { loadEncoder } from '../../src/models/load.js';
import { clipTokenizerJson } from '../../src/models/tiny/tokenizer.js';
import { MAX_TEXT_POSITIONS, writeClipModel } from '../../src/models/tiny/write.js';
import { exportWeights, initClipParams, type ClipSizes } from '../../src/train/pretrain/clip-tf.js';
import { clipModelOptions } from '../../src/train/pretrain/export.js';
import { ClipTf, pretrainWords } from '../../src/train/pretrain/pretrain.js';
import { Rng } from '../../src/util/random.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('the pretrained model export', () => {
  const words = pretrainWords();
  const sizes: ClipSizes = {
    imageSize: 32, patch: 8, width: 32, layers: 2, heads: 2, dim: 16, textWidth: 32, textLayers: 1, textHeads: 2,
    vocabSize: clipTokenizerJson(words).vocabSize, maxPositions: MAX_TEXT_POSITIONS,
  };
  let model: ClipTf;

  beforeAll(async () => {
    await initTf();
    const params = initClipParams(sizes, new Rng(5));
    // Move every tensor off its initial value (LayerNorms at 1/0, zero biases), so each one must reach the graph.
    const rng = new Rng(6);
    for (const v of [...Object.values(params.vision), ...Object.values(params.text)]) {
      const noise = Float32Array.from({ length: v.size }, () => rng.normal() * 0.2);
      tf.tidy(() => v.assign(v.add(tf.tensor(noise, v.shape))));
    }
    model = new ClipTf(params, sizes, words);
    await writeClipModel(dir, clipModelOptions(sizes, 0), { vidlens_pretrained: { what: 'test' } }, { ...exportWeights(params, sizes), words });
  });

  it('gives the same image and text embeddings in ONNX Runtime as the training-time forward', async () => {
    const { encoder } = await loadEncoder(dir);
    const rng = new Rng(7);
    const frames = Array.from({ length: 5 }, () => Uint8Array.from({ length: 32 * 32 * 3 }, () => rng.int(256)));
    const texts = ['a video of red.', 'the small blue square at the top left and a green cross', 'zebra crossing 42', 'a large yellow triangle moves to the right'];
    const onnxImages = await encoder.embedFrames(encoder.prepareFrames(frames));
    const onnxTexts = await encoder.embedTexts(texts);
    expect(maxAbsDiff(onnxImages, model.embed('frames', frames))).toBeLessThan(1e-4);
    expect(maxAbsDiff(onnxTexts, model.embed('texts', texts))).toBeLessThan(1e-4);
    // Not trivially equal: different inputs give clearly different embeddings.
    expect(maxAbsDiff(onnxTexts.slice(0, 16), onnxTexts.slice(16, 32))).toBeGreaterThan(0.05);
    await encoder.dispose();
  });

  it('refuses weights the graph does not have', async () => {
    const weights = exportWeights(model.params, sizes);
    await expect(
      writeClipModel(join(dir, 'bad'), clipModelOptions({ ...sizes, layers: 1 }, 0), {}, { ...weights, words }),
    ).rejects.toThrow(/weights not in the graph: encoder\.layers\.1\./);
  });

  it('tokenizes every caption word as one token', () => {
    const batch = model.tokenize(words);
    // Each row: start, the word, end, then padding.
    for (let r = 0; r < words.length; r++) expect(Array.from(batch.mask.slice(r * batch.length, (r + 1) * batch.length)).filter(Boolean)).toHaveLength(3);
  });
});
