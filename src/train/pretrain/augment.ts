import type { FrameObject } from './frame-captions.js';

/**
 * A frame mirrored left to right (RGB24, `size` × `size`). Every shape of the synthetic world is
 * symmetric about its vertical axis, so a mirrored frame is another true frame of the world: a new
 * arrangement of the same objects, which is what shape needs more of (it overfits the scenes it saw).
 */
export function mirrorFrame(rgb: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < size; y++) {
    const row = y * size * 3;
    for (let x = 0; x < size; x++) {
      const from = row + x * 3;
      const to = row + (size - 1 - x) * 3;
      out[to] = rgb[from];
      out[to + 1] = rgb[from + 1];
      out[to + 2] = rgb[from + 2];
    }
  }
  return out;
}

/** What is visible in a mirrored frame: the same objects, their 3×3 cell and drawn disc mirrored. */
export function mirrorObject(o: FrameObject): FrameObject {
  const cell = Math.floor(o.cell / 3) * 3 + (2 - (o.cell % 3));
  return { ...o, cell, ...(o.disc ? { disc: { ...o.disc, x: 1 - o.disc.x } } : {}) };
}
