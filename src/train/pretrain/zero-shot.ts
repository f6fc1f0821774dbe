import type { Matrix } from '../../util/matrix.js';
import type { FrameObject } from './frame-captions.js';

/** The prompt pretraining's zero-shot measure gives each class name. */
export function zeroShotPrompt(value: string): string {
  return `a video of ${value}.`;
}

/**
 * Pretraining's zero-shot measure: top-1 (%) of one attribute on the frames with exactly one object in
 * view, from frame × prompt similarities (`sim` rows are frames, columns `values` through `zeroShotPrompt`).
 */
export function singleObjectTop1(sim: Matrix, objects: FrameObject[][], values: readonly string[], of: (o: FrameObject) => string): number {
  let right = 0;
  let total = 0;
  objects.forEach((objs, i) => {
    if (objs.length !== 1) return;
    const row = Array.from(sim.data.subarray(i * sim.cols, (i + 1) * sim.cols));
    total++;
    if (values[row.indexOf(Math.max(...row))] === of(objs[0]!)) right++;
  });
  return total ? (100 * right) / total : 0;
}
