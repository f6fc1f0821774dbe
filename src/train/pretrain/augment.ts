import { flipHorizontal } from '../../media/frames.js';
import type { FrameObject } from './frame-captions.js';

/** What is visible in a mirrored frame: the same objects, their 3×3 cell and drawn disc mirrored. */
export function mirrorObject(o: FrameObject): FrameObject {
  const cell = Math.floor(o.cell / 3) * 3 + (2 - (o.cell % 3));
  return { ...o, cell, ...(o.disc ? { disc: { ...o.disc, x: 1 - o.disc.x } } : {}) };
}

/**
 * One training batch: the frames at `idx` and what each shows, each mirrored left to right where
 * `mirror()` says so (asked once per frame, all before any frame is read, so a seeded stream stays
 * in step). Every shape of the synthetic world is symmetric about its vertical axis, so a mirrored
 * frame is another true frame of the world: a new arrangement of the same objects, which is what
 * the shape term needs more of (it overfits the scenes it saw).
 */
export function trainingBatch(
  data: { rgb: Uint8Array[]; objects: FrameObject[][] },
  idx: number[],
  size: number,
  mirror: () => boolean,
): { frames: Uint8Array[]; objects: FrameObject[][] } {
  const mirrored = idx.map(() => mirror());
  return {
    frames: idx.map((i, j) => (mirrored[j] ? flipHorizontal(data.rgb[i], size) : data.rgb[i])),
    objects: idx.map((i, j) => (mirrored[j] ? data.objects[i].map(mirrorObject) : data.objects[i])),
  };
}
