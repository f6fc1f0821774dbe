import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { inputError } from '../core/errors.js';
import { mediaBinaries } from './binaries.js';
import { lastErrorLine } from './spawn.js';

/** The square RGB frame a model consumes: `size`×`size`, either centre-cropped after resizing the short side, or squashed. */
export interface FrameSpec {
  size: number;
  crop: boolean;
}

/** One decoded frame: packed RGB24, `size*size*3` bytes, row-major (HWC). */
export interface DecodedFrame {
  /** Index into the plan's `times`. */
  timeIndex: number;
  rgb: Uint8Array;
}

/** The ffmpeg filter that turns a decoded frame into the model's input geometry (bicubic, like CLIP's processor). */
export function geometryFilter(spec: FrameSpec): string {
  const { size } = spec;
  return spec.crop
    ? `scale=${size}:${size}:force_original_aspect_ratio=increase:flags=bicubic,crop=${size}:${size}`
    : `scale=${size}:${size}:flags=bicubic`;
}

/** The mirror image (left–right) of a square RGB24 frame. */
export function flipHorizontal(rgb: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 3;
      const to = (y * size + (size - 1 - x)) * 3;
      out[to] = rgb[from];
      out[to + 1] = rgb[from + 1];
      out[to + 2] = rgb[from + 2];
    }
  }
  return out;
}

export function frameBytes(spec: FrameSpec): number {
  return spec.size * spec.size * 3;
}

/** Splits a byte stream into fixed-size frames, copying each so callers may keep them. */
export async function* chunkFrames(stream: Readable, bytes: number): AsyncGenerator<Uint8Array> {
  let frame = new Uint8Array(bytes);
  let filled = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(bytes - filled, chunk.length - offset);
      frame.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === bytes) {
        yield frame;
        frame = new Uint8Array(bytes);
        filled = 0;
      }
    }
  }
}

interface FfmpegRun {
  frames: AsyncGenerator<Uint8Array>;
  /** Resolves with ffmpeg's exit code and error log once it has exited. */
  done: Promise<{ code: number | null; stderr: string }>;
  kill: () => void;
}

/**
 * Starts ffmpeg writing raw RGB frames of the given geometry to a pipe. `threads` bounds its decoder
 * and filter threads (default: ffmpeg's, one per core and more).
 */
export function ffmpegFrames(inputArgs: string[], filter: string, spec: FrameSpec, maxFrames: number, threads?: number): FfmpegRun {
  const { ffmpeg } = mediaBinaries();
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    ...(threads ? ['-filter_threads', String(threads), '-threads', String(threads)] : []),
    ...inputArgs,
    '-map', '0:v:0', '-an', '-sn', '-dn',
    '-vf', filter,
    '-frames:v', String(maxFrames),
    '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1',
  ];
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 64_000) stderr += chunk.toString('utf8');
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  return {
    frames: chunkFrames(child.stdout, frameBytes(spec)),
    done,
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export function decodeFailure(path: string, stderr: string): Error {
  return inputError(`${path}: ffmpeg could not decode the video (${lastErrorLine(stderr, path)})`);
}
