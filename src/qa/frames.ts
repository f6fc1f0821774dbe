import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import sharp from 'sharp';
import { inputError, usageError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { readInput } from '../util/read.js';
import { probeVideo } from '../media/probe.js';
import { jpegFrame } from '../media/thumbnail.js';
import type { QaFrame } from './backend.js';

export interface SelectedFrames {
  frames: QaFrame[];
  /** Frames per second of the selection. */
  samplingFps: number;
  /** The source's own frame rate, when known. */
  originalFps?: number;
}

export interface SpanSelection {
  start?: number;
  end?: number;
  /** A fixed number of frames, uniform over the span (centres of equal sub-intervals). */
  count?: number;
  /** A fixed rate instead (EgoCross samples at 0.5–1 fps); at least one frame. */
  fps?: number;
  /** Longest side of each JPEG, pixels (aspect kept). */
  maxSide: number;
}

/** Samples frames from a span of a video (whole video by default) as JPEGs with their times. */
export async function framesFromVideo(path: string, selection: SpanSelection): Promise<SelectedFrames> {
  const info = await probeVideo(path);
  const start = selection.start ?? 0;
  const end = Math.min(selection.end ?? info.duration, info.duration);
  if (!(end > start)) throw inputError(`${path}: the span [${start}, ${selection.end ?? info.duration}] s is empty or outside the video (duration ${info.duration.toFixed(2)} s)`);
  const length = end - start;
  const count = selection.fps ? Math.max(1, Math.floor(length * selection.fps)) : (selection.count ?? 8);
  if (count > LIMITS.qaFrames) {
    const asked = selection.fps ? `--fps ${selection.fps} over ${length.toFixed(1)} s asks` : `--frames ${count} asks`;
    throw usageError(`${asked} for ${count} frames; at most ${LIMITS.qaFrames} are sent with one question (lower the rate or shorten the span)`);
  }
  const step = selection.fps ? 1 / selection.fps : length / count;
  const times = Array.from({ length: count }, (_, i) => start + (i + 0.5) * step).filter((t) => t < end);
  const frames: QaFrame[] = [];
  for (const time of times) {
    const jpeg = await jpegFrame(path, time, selection.maxSide);
    if (jpeg) frames.push({ jpeg, time });
  }
  if (frames.length === 0) throw inputError(`${path}: no frame could be decoded in [${start}, ${end}] s`);
  return { frames, samplingFps: 1 / step, originalFps: info.fps || undefined };
}

/** Whether `path` lies inside the folder `root` (both already resolved through links). */
function inside(root: string, path: string): boolean {
  const r = relative(root, path);
  return r === '' || (!isAbsolute(r) && r.split(sep)[0] !== '..');
}

export interface FrameFileOptions {
  root?: string;
  base: string;
  fps: number;
  maxSide: number;
  times?: number[];
  /** The item the frames belong to, for messages. */
  item: number | string;
  /** Read frame files outside the frames folder too (they are sent to a model endpoint). */
  anywhere?: boolean;
}

/** Where a listed frame file is looked for: under `root` (absolute paths too, as EgoCross lists them), else relative to `base`. */
export function frameFilePath(p: string, options: Pick<FrameFileOptions, 'root' | 'base'>): string {
  return options.root ? join(options.root, p) : isAbsolute(p) ? p : join(options.base, p);
}

/**
 * Loads a list of frame files (EgoCross `video_path`) re-encoded as JPEGs fitting `maxSide`. With
 * `root`, every path (absolute ones too, as EgoCross lists them) is taken under it; without, relative
 * paths are resolved against `base`. Unless `anywhere`, a file that resolves (links followed) outside
 * that folder is refused: an untrusted dataset must not send arbitrary readable images to a hosted API.
 * Times come from `times` when given, else frame k is at k / `fps`. A missing or unreadable file is an
 * input error naming it.
 */
export async function framesFromFiles(paths: string[], options: FrameFileOptions): Promise<SelectedFrames> {
  if (paths.length === 0) throw inputError(`item ${options.item}: lists no frame files`);
  if (paths.length > LIMITS.qaFrames) throw inputError(`item ${options.item}: lists ${paths.length} frame files; at most ${LIMITS.qaFrames} are sent with one question`);
  const folder = options.root ?? options.base;
  const confinedTo = await realpath(folder).catch(() => {
    throw inputError(`${options.root ? '--frames-root ' : 'the dataset folder '}${folder} does not exist`);
  });
  const frames: QaFrame[] = [];
  for (const [k, p] of paths.entries()) {
    const full = frameFilePath(p, options);
    const real = await realpath(full).catch(() => {
      throw inputError(`frame file ${full} is missing (set --frames-root to the folder the item paths are relative to)`);
    });
    if (!options.anywhere && !inside(confinedTo, real)) {
      throw inputError(
        `item ${options.item}: frame file ${p} resolves to ${real}, outside ${options.root ? '--frames-root' : "the dataset's folder"} ${confinedTo}; ` +
          'refused, since frames are sent to the model endpoint (pass --frames-anywhere to allow it)',
      );
    }
    const bytes = await readInput(real, undefined, LIMITS.imageBytes);
    let jpeg: Buffer;
    try {
      jpeg = await sharp(bytes).resize({ width: options.maxSide, height: options.maxSide, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
    } catch (error) {
      throw inputError(`frame file ${full} is not a readable image (${(error as Error).message})`);
    }
    frames.push({ jpeg, time: options.times?.[k] ?? k / options.fps });
  }
  return { frames, samplingFps: options.fps };
}
