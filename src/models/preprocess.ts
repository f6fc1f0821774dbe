import { z } from 'zod';
import type { FrameSpec } from '../media/frames.js';

/** How raw RGB bytes become model input: geometry plus per-channel rescale and normalisation. */
export interface PixelSpec {
  frame: FrameSpec;
  rescale: number;
  mean: [number, number, number];
  std: [number, number, number];
}

const sizeSchema = z.union([
  z.number(),
  z.object({ shortest_edge: z.number().optional(), height: z.number().optional(), width: z.number().optional() }).loose(),
]);

/** The subset of a Hugging Face `preprocessor_config.json` vidlens reads. */
export const preprocessorSchema = z
  .object({
    size: sizeSchema.optional(),
    crop_size: sizeSchema.optional(),
    do_center_crop: z.boolean().optional(),
    do_normalize: z.boolean().optional(),
    do_rescale: z.boolean().optional(),
    rescale_factor: z.number().optional(),
    image_mean: z.union([z.number(), z.array(z.number())]).optional(),
    image_std: z.union([z.number(), z.array(z.number())]).optional(),
  })
  .loose();

function edge(size: z.infer<typeof sizeSchema> | undefined): number | undefined {
  if (size === undefined) return undefined;
  if (typeof size === 'number') return size;
  return size.shortest_edge ?? size.height ?? size.width;
}

function triple(value: number | number[] | undefined, fallback: number): [number, number, number] {
  if (value === undefined) return [fallback, fallback, fallback];
  if (typeof value === 'number') return [value, value, value];
  return [value[0] ?? fallback, value[1] ?? fallback, value[2] ?? fallback];
}

/** Reads a preprocessor config into the geometry and normalisation vidlens applies itself after ffmpeg. */
export function pixelSpecFrom(config: z.infer<typeof preprocessorSchema>): PixelSpec {
  const crop = config.do_center_crop ?? config.crop_size !== undefined;
  const size = (crop ? edge(config.crop_size) : undefined) ?? edge(config.size) ?? 224;
  const normalize = config.do_normalize ?? true;
  return {
    frame: { size, crop },
    rescale: config.do_rescale === false ? 1 : (config.rescale_factor ?? 1 / 255),
    mean: normalize ? triple(config.image_mean, 0.5) : [0, 0, 0],
    std: normalize ? triple(config.image_std, 0.5) : [1, 1, 1],
  };
}

/** Packs RGB24 frames (HWC bytes) into one normalised NCHW float batch. */
export function packFrames(frames: Uint8Array[], spec: PixelSpec): Float32Array {
  const { size } = spec.frame;
  const plane = size * size;
  const out = new Float32Array(frames.length * 3 * plane);
  const scale = [0, 1, 2].map((c) => spec.rescale / spec.std[c]);
  const shift = [0, 1, 2].map((c) => -spec.mean[c] / spec.std[c]);
  frames.forEach((rgb, n) => {
    const base = n * 3 * plane;
    for (let c = 0; c < 3; c++) {
      const dst = base + c * plane;
      const s = scale[c];
      const b = shift[c];
      for (let p = 0, q = c; p < plane; p++, q += 3) out[dst + p] = rgb[q] * s + b;
    }
  });
  return out;
}
