import { DEFAULT_PROMPT } from '../../eval/prompts.js';
import type { Matrix } from '../../util/matrix.js';
import type { FrameObject } from './frame-captions.js';

/** The prompt pretraining's zero-shot measure gives each class name: `vidlens eval classify`'s default. */
export function zeroShotPrompt(value: string): string {
  return DEFAULT_PROMPT.replaceAll('{}', value);
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
