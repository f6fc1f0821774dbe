import sharp from 'sharp';
import { inputError } from '../core/errors.js';
import type { FrameSpec } from './frames.js';

/**
 * An image file's bytes (JPEG, PNG, WebP, …) as one model frame: packed RGB24, `size`×`size`, with
 * the geometry indexing gives video frames (centre crop after resizing the short side, or squash).
 * `name` is what an error calls the image.
 */
export async function imageToFrame(bytes: Uint8Array, spec: FrameSpec, name: string): Promise<Uint8Array> {
  try {
    const { data } = await sharp(bytes, { limitInputPixels: 64_000_000 })
      .rotate()
      .removeAlpha()
      .resize(spec.size, spec.size, { fit: spec.crop ? 'cover' : 'fill', position: 'centre', kernel: 'cubic' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (error) {
    throw inputError(`${name}: not an image vidlens can read (${error instanceof Error ? error.message : String(error)})`);
  }
}
