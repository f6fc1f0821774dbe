import { describe, expect, it } from 'vitest';
import { captionFrame, captionHolds, type FrameObject } from '../../src/train/pretrain/frame-captions.js';
import { COLORS, SHAPES, SIZES } from '../../src/synth/grammar.js';
import { Rng } from '../../src/util/random.js';

function randomObject(rng: Rng): FrameObject {
  return { shape: rng.pick(SHAPES), color: rng.pick(COLORS), size: rng.pick(SIZES), cell: rng.int(9) };
}

describe('pretraining captions', () => {
  it('a frame caption is always true of its frame, and a caption of another object is false of a one-object frame unless they agree', () => {
    const rng = new Rng(3);
    let falseOfOther = 0;
    for (let k = 0; k < 500; k++) {
      const objects = Array.from({ length: 1 + rng.int(3) }, () => randomObject(rng));
      expect(captionHolds(captionFrame(rng, objects), objects)).toBe(true);
      const other = randomObject(rng);
      const caption = captionFrame(rng, [other]);
      const agrees = (['shape', 'color', 'size', 'cell'] as const).every((key) => caption.descriptors[0][key] === undefined || caption.descriptors[0][key] === objects[0][key]);
      expect(captionHolds(caption, [objects[0]])).toBe(agrees);
      if (!agrees) falseOfOther++;
    }
    expect(falseOfOther).toBeGreaterThan(250);
  });

  it('an empty frame is described as empty, and only an empty frame fits that', () => {
    const rng = new Rng(1);
    const empty = captionFrame(rng, []);
    expect(empty.empty).toBe(true);
    expect(captionHolds(empty, [])).toBe(true);
    expect(captionHolds(empty, [randomObject(rng)])).toBe(false);
  });
});
