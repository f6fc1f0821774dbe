import { spawn } from 'node:child_process';
import { mediaBinaries } from '../../src/media/binaries.js';

/** Runs ffmpeg with an argument array and rejects with its log on failure. */
export function ffmpeg(args: string[], input?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(mediaBinaries().ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args], {
      stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg ${args.join(' ')}: ${log}`))));
    if (input && child.stdin) child.stdin.end(input);
  });
}

/** An H.264 mp4 of one of ffmpeg's test patterns (`testsrc` unless `pattern` says another, e.g. `testsrc2`, `smptebars`). */
export function testPattern(path: string, options: { seconds: number; width?: number; height?: number; fps?: number; pattern?: string }): Promise<void> {
  const { seconds, width = 160, height = 120, fps = 10, pattern = 'testsrc' } = options;
  return ffmpeg([
    '-f', 'lavfi', '-i', `${pattern}=duration=${seconds}:size=${width}x${height}:rate=${fps}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path,
  ]);
}

/** A video whose frame k is uniformly grey at level `10 + 3k`, so a decoded frame tells its own index. */
export function greyRamp(path: string, options: { frames: number; fps: number; size?: number }): Promise<void> {
  const { frames, fps, size = 64 } = options;
  const raw = Buffer.alloc(frames * size * size * 3);
  for (let k = 0; k < frames; k++) raw.fill(10 + 3 * k, k * size * size * 3, (k + 1) * size * size * 3);
  return ffmpeg(
    [
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${size}x${size}`, '-r', String(fps), '-i', 'pipe:0',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv444p', '-g', '10', path,
    ],
    raw,
  );
}

/** The frame index encoded by `greyRamp` in a decoded RGB frame. */
export function rampIndex(rgb: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < rgb.length; i++) sum += rgb[i];
  return Math.round((sum / rgb.length - 10) / 3);
}

/** An audio-only file (no video stream). */
export function audioOnly(path: string): Promise<void> {
  return ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', path]);
}
