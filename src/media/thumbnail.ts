import { mediaBinaries } from './binaries.js';
import { runProgram } from './spawn.js';

/** A JPEG of the frame at `time` seconds, `width` pixels wide; undefined when ffmpeg cannot make one. */
export async function thumbnailJpeg(path: string, time: number, width = 160): Promise<Buffer | undefined> {
  const { ffmpeg } = mediaBinaries();
  const result = await runProgram(ffmpeg, [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-ss', time.toFixed(3), '-i', path,
    '-frames:v', '1', '-vf', `scale=${width}:-2`, '-q:v', '5', '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1',
  ]);
  return result.code === 0 && result.stdout.length > 0 ? result.stdout : undefined;
}
