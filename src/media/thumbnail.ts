import { mediaBinaries } from './binaries.js';
import { runProgram } from './spawn.js';

/**
 * A JPEG of the frame at `time` seconds, scaled to fit inside `maxSide`×`maxSide` (aspect kept,
 * never enlarged); undefined when ffmpeg cannot make one (e.g. past the end).
 */
export async function jpegFrame(path: string, time: number, maxSide = 160): Promise<Buffer | undefined> {
  const { ffmpeg } = mediaBinaries();
  const fit = `scale=w='min(iw,${maxSide})':h='min(ih,${maxSide})':force_original_aspect_ratio=decrease`;
  const result = await runProgram(ffmpeg, [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-ss', Math.max(0, time).toFixed(3), '-i', path,
    '-frames:v', '1', '-vf', fit, '-q:v', '4', '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1',
  ]);
  return result.code === 0 && result.stdout.length > 0 ? result.stdout : undefined;
}
