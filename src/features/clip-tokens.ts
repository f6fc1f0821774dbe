import { inputError } from '../core/errors.js';
import type { OnProgress } from '../core/events.js';
import { decodeFrames } from '../media/decode.js';
import type { Encoder } from '../models/encoder.js';
import { clipPlan, resolveClips, type ClipSpan } from './clip-features.js';

/** Dense clip features: every sampled frame's patch tokens. */
export interface ClipTokens {
  /** `clips × frames × tokens × width`. */
  data: Float32Array;
  frames: number;
  /** Patches per frame (`grid × grid`, row-major) and their width. */
  tokens: number;
  grid: number;
  width: number;
  /** Each clip's resolved span, seconds. */
  spans: Array<{ start: number; end: number }>;
}

/**
 * The patch tokens of each clip's `frames` uniform samples (the centres of equal sub-intervals, as the
 * pooled clip features sample), computed now and not stored: dense features are large (a ViT-B/32 clip
 * of 8 frames is 8 × 49 × 768 floats), so they are made when a readout needs them.
 */
export async function clipTokens(clips: ClipSpan[], datasetPath: string, encoder: Encoder, frames: number, options: { onProgress?: OnProgress } = {}): Promise<ClipTokens> {
  const { infos, spans } = await resolveClips(clips, datasetPath);
  let out: ClipTokens | undefined;
  for (const [i, clip] of clips.entries()) {
    const { info } = infos.get(clip.video)!;
    const plan = clipPlan(spans[i].start, spans[i].end, frames);
    const rgb: Uint8Array[] = [];
    for await (const frame of decodeFrames(info, plan.times, encoder.manifest.frame, { minStep: (spans[i].end - spans[i].start) / frames })) rgb[frame.timeIndex] = frame.rgb;
    if (rgb.filter(Boolean).length !== frames) throw inputError(`${datasetPath}:${clip.line}: decoded ${rgb.filter(Boolean).length} of the ${frames} frames of ${clip.video}`);
    const tokens = await encoder.embedFrameTokens(encoder.prepareFrames(rgb));
    out ??= { data: new Float32Array(clips.length * frames * tokens.tokens * tokens.width), frames, tokens: tokens.tokens, grid: tokens.grid, width: tokens.width, spans };
    out.data.set(tokens.data, i * frames * out.tokens * out.width);
    options.onProgress?.({ task: 'patch tokens', done: i + 1, total: clips.length, unit: 'clips' });
  }
  if (!out) throw inputError(`${datasetPath}: no clips to embed`);
  return out;
}
