import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEncoder } from '../../src/models/load.js';
import type { Encoder } from '../../src/models/encoder.js';
import { writeTinyModel } from '../../src/models/tiny/write.js';
import { hashFiles } from '../../src/models/weights.js';
import { linearProbeAccuracy } from '../helpers/probe.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const onnxFiles = (model: string) => ['vision_model.onnx', 'text_model.onnx'].map((f) => join(model, 'onnx', f));

describe('the tiny model', () => {
  let encoder: Encoder;
  beforeAll(async () => {
    await writeTinyModel(join(dir, 'a'), { seed: 3 });
    await writeTinyModel(join(dir, 'b'), { seed: 3 });
    await writeTinyModel(join(dir, 'c'), { seed: 4 });
    encoder = (await loadEncoder(join(dir, 'a'))).encoder;
  });

  it('writes the transformers.js folder layout', () => {
    for (const f of ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/vision_model.onnx', 'onnx/text_model.onnx']) {
      expect(readFileSync(join(dir, 'a', f)).length).toBeGreaterThan(0);
    }
    expect(JSON.parse(readFileSync(join(dir, 'a', 'config.json'), 'utf8')).model_type).toBe('clip');
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    expect(await hashFiles(onnxFiles(join(dir, 'a')))).toBe(await hashFiles(onnxFiles(join(dir, 'b'))));
    expect(await hashFiles(onnxFiles(join(dir, 'a')))).not.toBe(await hashFiles(onnxFiles(join(dir, 'c'))));
  });

  it('records its id, weights hash, dimension and input geometry', () => {
    expect(encoder.manifest).toMatchObject({ id: 'local:a', dim: 128, family: 'clip', frame: { size: 64, crop: true } });
    expect(encoder.manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('returns unit-length text vectors, independent of padding in a batch', async () => {
    const texts = ['a red square', 'a much longer sentence about a worker tightening a bolt on the line'];
    const batch = await encoder.embedTexts(texts);
    const alone = await encoder.embedTexts([texts[0]]);
    expect(batch.length).toBe(2 * 128);
    const first = batch.slice(0, 128);
    for (let j = 0; j < 128; j++) expect(first[j]).toBeCloseTo(alone[j], 4);
    const norm = Math.hypot(...first);
    expect(norm).toBeCloseTo(1, 5);
    const other = batch.slice(128);
    expect(first.some((v, j) => Math.abs(v - other[j]) > 1e-3)).toBe(true);
  });

  // 62 MB: tokenised whole, a text this long exhausted V8's heap.
  it('embeds a runaway text as its first words, without tokenising all of it', async () => {
    const words = 'a red square moves to the left '.repeat(20);
    const [runaway, start] = [await encoder.embedTexts([words.repeat(100_000)]), await encoder.embedTexts([words])];
    for (let j = 0; j < 128; j++) expect(runaway[j]).toBeCloseTo(start[j], 5);
  });

  it('returns unit-length frame vectors that depend on the pixels', async () => {
    const grey = new Uint8Array(64 * 64 * 3).fill(128);
    const noise = Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 256);
    const v = await encoder.embedFrames(encoder.prepareFrames([grey, noise]));
    expect(Math.hypot(...v.slice(0, 128))).toBeCloseTo(1, 5);
    expect(v.slice(0, 128).some((x, j) => Math.abs(x - v[128 + j]) > 1e-3)).toBe(true);
  });

  // DESIGN.md: random weights at a small init scale keep colour and coarse position linearly readable;
  // if this fails, every downstream readout or adapter test would be measuring noise.
  it('keeps features informative: a linear probe recovers colour and 3×3 position', async () => {
    const colours = [[230, 40, 40], [40, 200, 60], [50, 80, 230], [230, 220, 40], [240, 240, 240]];
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const images: Uint8Array[] = [];
    const colour: number[] = [];
    const cell: number[] = [];
    for (let n = 0; n < 900; n++) {
      const c = n % 5;
      const gx = Math.floor(rand() * 3);
      const gy = Math.floor(rand() * 3);
      const x0 = gx * 21 + Math.floor(rand() * 8);
      const y0 = gy * 21 + Math.floor(rand() * 8);
      const img = new Uint8Array(64 * 64 * 3);
      for (let y = y0; y < y0 + 12; y++) for (let x = x0; x < x0 + 12; x++) img.set(colours[c], (y * 64 + x) * 3);
      images.push(img);
      colour.push(c);
      cell.push(gy * 3 + gx);
    }
    const features: Float32Array[] = [];
    for (let i = 0; i < images.length; i += 100) {
      const v = await encoder.embedFrames(encoder.prepareFrames(images.slice(i, i + 100)));
      for (let j = 0; j < v.length / 128; j++) features.push(v.slice(j * 128, (j + 1) * 128));
    }
    const split = (labels: number[]) => ({
      train: { x: features.slice(0, 600), y: labels.slice(0, 600) },
      test: { x: features.slice(600), y: labels.slice(600) },
    });
    const c = split(colour);
    const p = split(cell);
    const colourAcc = linearProbeAccuracy(c.train, c.test, 5);
    const cellAcc = linearProbeAccuracy(p.train, p.test, 9);
    expect(colourAcc).toBeGreaterThan(0.9);
    expect(cellAcc).toBeGreaterThan(0.6); // chance is 0.11
  });
});
