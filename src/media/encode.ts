import { spawn } from 'node:child_process';
import { mediaBinaries } from './binaries.js';
import { lastErrorLine } from './spawn.js';

/**
 * Encodes square RGB24 frames to an H.264 mp4 by piping raw frames into ffmpeg (yuv420p, CRF 12,
 * one keyframe per second). Deterministic: the same frames give the same stream.
 */
export function encodeRgbFrames(path: string, frames: Uint8Array[], size: number, fps: number): Promise<void> {
  const { ffmpeg } = mediaBinaries();
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${size}x${size}`, '-r', String(fps), '-i', 'pipe:0',
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '12', '-pix_fmt', 'yuv420p', '-g', String(fps), '-threads', '1',
      '-movflags', '+faststart', path,
    ], { stdio: ['pipe', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg could not encode ${path}: ${lastErrorLine(log)}`))));
    child.stdin.on('error', () => undefined); // a failed ffmpeg closes the pipe early; 'close' reports why
    child.stdin.end(Buffer.concat(frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength))));
  });
}
