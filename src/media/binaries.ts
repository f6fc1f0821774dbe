import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { config } from '../core/config.js';

const require = createRequire(import.meta.url);

export interface MediaBinaries {
  ffmpeg: string;
  ffprobe: string;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of config.path().split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function bundled(pkg: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe'): string | undefined {
  try {
    const path = (require(pkg) as { path: string }).path;
    return isExecutable(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

let cached: MediaBinaries | undefined;

/**
 * Finds ffmpeg and ffprobe: `FFMPEG_PATH`/`FFPROBE_PATH`, else the system ones on PATH,
 * else the static builds shipped in `@ffmpeg-installer/*` and `@ffprobe-installer/*`.
 */
export function mediaBinaries(): MediaBinaries {
  if (cached) return cached;
  const ffmpeg = config.ffmpegPath() || onPath('ffmpeg') || bundled('@ffmpeg-installer/ffmpeg');
  const ffprobe = config.ffprobePath() || onPath('ffprobe') || bundled('@ffprobe-installer/ffprobe');
  if (!ffmpeg || !ffprobe) {
    throw new Error(
      `Cannot find ${ffmpeg ? 'ffprobe' : 'ffmpeg'}: install it (e.g. apt-get install ffmpeg), ` +
        'set FFMPEG_PATH/FFPROBE_PATH, or reinstall vidlens so that its bundled binaries are present.',
    );
  }
  cached = { ffmpeg, ffprobe };
  return cached;
}
