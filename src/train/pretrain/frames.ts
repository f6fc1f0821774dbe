import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import pLimit from 'p-limit';
import { join } from 'node:path';
import type { OnProgress } from '../../core/events.js';
import { decodeFrames } from '../../media/decode.js';
import { encodeRgbFrames } from '../../media/encode.js';
import { probeVideo } from '../../media/probe.js';
import { gridCell, sampleScene, type Domain } from '../../synth/grammar.js';
import { renderScene } from '../../synth/render.js';
import { mixSeed, Rng } from '../../util/random.js';
import type { FrameObject } from './frame-captions.js';

export interface PretrainFrameOptions {
  seed: number;
  clips: number;
  /** Frames kept per clip, evenly spaced from a random offset. */
  framesPerClip: number;
  /** The model's input size: frames are decoded to it as indexing decodes them. */
  imageSize: number;
  domain?: Domain;
  onProgress?: OnProgress;
}

/** Decoded frames (RGB24 at the model's size) and what is visible in each. */
export interface PretrainFrames {
  rgb: Uint8Array[];
  objects: FrameObject[][];
  /** The clip each frame came from (for a held-out split by clip). */
  clip: number[];
}

/** The synth clip geometry pretraining renders: that of `vidlens synth`'s defaults. */
const VIDEO = { size: 128, fps: 8, seconds: 4 };
/** Keeps pretraining's random streams apart from every `vidlens synth` seed's (those mix 3 parts). */
const PRETRAIN_STREAM = 0x9e37;

/**
 * Frames of the synthetic world for contrastive pretraining: scenes of one domain rendered, encoded to
 * H.264 and decoded at the model's input size through the same ffmpeg path as `vidlens index`, so the
 * model sees exactly what indexing will show it. Each frame is annotated from the scene's ground truth.
 */
export async function pretrainFrames(o: PretrainFrameOptions): Promise<PretrainFrames> {
  const domain = o.domain ?? 'lab';
  const frames = VIDEO.fps * VIDEO.seconds;
  const dir = await mkdtemp(join(tmpdir(), 'vidlens-pretrain-'));
  const out: PretrainFrames = { rgb: [], objects: [], clip: [] };
  const one = async (k: number): Promise<{ rgb: Uint8Array[]; objects: FrameObject[][] }> => {
    const seed = mixSeed(o.seed, PRETRAIN_STREAM, k, 0);
    const rng = new Rng(seed);
    const scene = sampleScene(rng, domain, VIDEO.size, frames);
    const rendered = renderScene(scene, VIDEO.size, mixSeed(seed, 1));
    const path = join(dir, `${k}.mp4`);
    await encodeRgbFrames(path, rendered.map((r) => r.rgb), VIDEO.size, VIDEO.fps);
    const step = frames / o.framesPerClip;
    const offset = rng.range(0, step);
    const picked = Array.from({ length: o.framesPerClip }, (_, i) => Math.min(frames - 1, Math.floor(offset + i * step)));
    const times = picked.map((f) => (f + 0.5) / VIDEO.fps);
    const rgb: Uint8Array[] = [];
    for await (const f of decodeFrames(await probeVideo(path), times, { size: o.imageSize, crop: true })) rgb[f.timeIndex] = f.rgb;
    await rm(path);
    const objects = picked.map((f) => {
      const [shakeX, shakeY] = rendered[f].shake;
      const disc = (x: number, y: number, r: number) => ({ x: x / VIDEO.size, y: y / VIDEO.size, r: r / VIDEO.size });
      const visible: FrameObject[] = scene.others.map((s) => ({ shape: s.shape, color: s.color, size: s.size, cell: gridCell(s.x, s.y, VIDEO.size), disc: disc(s.x + shakeX, s.y + shakeY, s.radius) }));
      const center = rendered[f].center;
      if (center) visible.push({ ...scene.actor, cell: gridCell(center[0], center[1], VIDEO.size), disc: disc(center[0], center[1], scene.frames[f].radius) });
      return visible;
    });
    return { rgb, objects };
  };
  // Two clips at once: rendering is JavaScript on this thread, encoding and decoding run in ffmpeg.
  const limit = pLimit(2);
  let done = 0;
  let perClip: Array<{ rgb: Uint8Array[]; objects: FrameObject[][] }>;
  try {
    perClip = await Promise.all(
      Array.from({ length: o.clips }, (_, k) =>
        limit(async () => {
          const clip = await one(k);
          o.onProgress?.({ task: 'rendering pretraining clips', done: ++done, total: o.clips, unit: 'clips' });
          return clip;
        }),
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  perClip.forEach((c, k) => {
    out.rgb.push(...c.rgb);
    out.objects.push(...c.objects);
    out.clip.push(...c.rgb.map(() => k));
  });
  return out;
}
