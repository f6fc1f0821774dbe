import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipTokens } from '../../src/features/clip-tokens.js';
import type { Encoder } from '../../src/models/encoder.js';
import { loadEncoder } from '../../src/models/load.js';
import { writePretrainedModel } from '../../src/models/bundled.js';
import { writeTinyModel } from '../../src/models/tiny/write.js';
import { testPattern } from '../helpers/videos.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

/** A frame of a horizontal gradient, so every patch differs. */
function gradient(size: number, phase: number): Uint8Array {
  const rgb = new Uint8Array(size * size * 3);
  for (let p = 0; p < size * size; p++) rgb.fill(((p % size) * 4 + phase) % 256, p * 3, p * 3 + 3);
  return rgb;
}

describe('dense features: the vision tower’s patch tokens', () => {
  let tiny: Encoder;
  let pretrained: Encoder;
  beforeAll(async () => {
    await writeTinyModel(join(dir, 'tiny'), { seed: 5 });
    await writePretrainedModel(join(dir, 'pretrained'));
    tiny = (await loadEncoder(join(dir, 'tiny'))).encoder;
    pretrained = (await loadEncoder(join(dir, 'pretrained'))).encoder;
  }, 60_000);

  it('are last_hidden_state without the class token, as ONNX Runtime computes it on the same pixels', async () => {
    for (const [name, encoder] of [['tiny', tiny], ['pretrained', pretrained]] as const) {
      const size = encoder.manifest.frame.size;
      const batch = encoder.prepareFrames([gradient(size, 0), gradient(size, 90)]);
      const tokens = await encoder.embedFrameTokens(batch);
      const session = await ort.InferenceSession.create(join(dir, name, 'onnx', 'vision_model.onnx'));
      const out = await session.run({ pixel_values: new ort.Tensor('float32', batch.pixels, [2, 3, size, size]) });
      const hidden = out.last_hidden_state;
      const [count, n, width] = hidden.dims as number[];
      expect([tokens.count, tokens.tokens + 1, tokens.width]).toEqual([count, n, width]);
      expect(tokens.grid ** 2).toBe(tokens.tokens);
      const data = hidden.data as Float32Array;
      for (let f = 0; f < count; f++) {
        // Row 0 of each frame is the class token; the tokens start at row 1.
        const expected = data.subarray((f * n + 1) * width, (f + 1) * n * width);
        const got = tokens.data.subarray(f * tokens.tokens * width, (f + 1) * tokens.tokens * width);
        expect(Math.max(...got.map((v, k) => Math.abs(v - expected[k])))).toBeLessThan(1e-5);
      }
      await session.release();
    }
  });

  it('clipTokens samples each clip’s frames at the centres of equal sub-intervals and lays them out clips × frames × tokens × width', async () => {
    const video = join(dir, 'clip.mp4');
    await testPattern(video, { seconds: 4, width: 64, height: 64 });
    const clips = [{ video, start: 0, end: 2, line: 1 }, { video, start: 2, end: 4, line: 2 }];
    const t = await clipTokens(clips, 'clips.jsonl', pretrained, 4);
    expect([t.frames, t.tokens, t.grid, t.width]).toEqual([4, 64, 8, 64]);
    expect(t.data.length).toBe(2 * 4 * 64 * 64);
    expect(t.data.every(Number.isFinite)).toBe(true);
    await expect(clipTokens([{ video, start: 3, end: 9, line: 7 }], 'clips.jsonl', pretrained, 4)).rejects.toThrow(/clips.jsonl:7: clip span \[3, 9\] s lies outside its video/);
  });
});
