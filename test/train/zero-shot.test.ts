import { describe, expect, it } from 'vitest';
import { singleObjectTop1, zeroShotPrompt } from '../../src/train/pretrain/zero-shot.js';
import type { FrameObject } from '../../src/train/pretrain/frame-captions.js';

const object = (shape: FrameObject['shape']): FrameObject => ({ shape, color: 'red', size: 'small', cell: 4 });

describe("pretraining's zero-shot measure", () => {
  it('scores only single-object frames, by the best prompt of each', () => {
    const values = ['circle', 'square'] as const;
    // Frame rows, prompt columns: frame 0 picks circle (right), frame 1 picks circle (wrong), frame 2 has
    // two objects and is left out, frame 3 is empty and left out.
    const sim = { data: Float32Array.from([0.9, 0.1, 0.6, 0.2, 0.0, 1.0, 0.5, 0.4]), rows: 4, cols: 2 };
    const objects = [[object('circle')], [object('square')], [object('square'), object('circle')], []];
    expect(singleObjectTop1(sim, objects, values, (o) => o.shape)).toBe(50);
    expect(singleObjectTop1(sim, [[], [], [], []], values, (o) => o.shape)).toBe(0);
    expect(values.map(zeroShotPrompt)).toEqual(['a video of circle.', 'a video of square.']);
  });
});
