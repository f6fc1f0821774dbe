import type { VideoInfo } from './probe.js';
import { decodeFailure, ffmpegFrames, geometryFilter, type DecodedFrame, type FrameSpec } from './frames.js';

export type DecodeStrategy = 'pass' | 'seek';

/**
 * Above this many source frames per sampled frame, one seek per sample beats decoding the whole
 * stream: measured on this machine (`npm run bench:decode`, BENCHMARKS.md "Decode strategy"), a
 * single pass wins at 180 source frames per sample (seek 1.44× slower) and seeking wins at 360
 * (0.86×). Dense sampling always uses one pass.
 */
export const SEEK_THRESHOLD_FRAMES_PER_SAMPLE = 300;

/** Picks one ffmpeg pass for dense sampling and per-sample seeks for sparse sampling of long videos. */
export function chooseStrategy(info: Pick<VideoInfo, 'duration' | 'fps'>, samples: number): DecodeStrategy {
  const sourceFrames = info.duration * (info.fps || 30);
  return sourceFrames / Math.max(samples, 1) > SEEK_THRESHOLD_FRAMES_PER_SAMPLE ? 'seek' : 'pass';
}

/**
 * One ffmpeg process resamples the stream to a regular grid of `rate` frames per second
 * (fps filter, nearest frame) and each target time takes the grid frame nearest to it.
 * The rate is twice the densest segment's sampling rate, which puts every sample of
 * back-to-back or stride-aligned windows exactly on the grid.
 */
async function* decodeInOnePass(info: VideoInfo, times: number[], spec: FrameSpec, rate: number, threads?: number): AsyncGenerator<DecodedFrame> {
  const targets = times.map((t) => Math.max(0, Math.round(t * rate)));
  const lastNeeded = targets.at(-1) ?? 0;
  const run = ffmpegFrames(
    ['-i', info.path],
    `setpts=PTS-STARTPTS,fps=${rate.toFixed(6)},${geometryFilter(spec)}`,
    spec,
    lastNeeded + 1,
    threads,
  );
  let next = 0;
  let gridIndex = 0;
  let last: Uint8Array | undefined;
  try {
    for await (const frame of run.frames) {
      last = frame;
      while (next < targets.length && targets[next] <= gridIndex) yield { timeIndex: next++, rgb: frame };
      gridIndex++;
      if (next >= targets.length) break;
    }
  } finally {
    run.kill();
  }
  const { code, stderr } = await run.done;
  if (!last || (code !== 0 && next < targets.length && code !== null)) throw decodeFailure(info.path, stderr);
  // The stream ended early (durations in containers are often rounded up): repeat the last frame.
  while (next < targets.length) yield { timeIndex: next++, rgb: last };
}

/** One short ffmpeg process per sample, each seeking on its own: never several seeks in one process, which drops frames. */
async function* decodeBySeeking(info: VideoInfo, times: number[], spec: FrameSpec, threads?: number): AsyncGenerator<DecodedFrame> {
  let last: Uint8Array | undefined;
  let lastError = '';
  for (let i = 0; i < times.length; i++) {
    const run = ffmpegFrames(['-ss', times[i].toFixed(3), '-i', info.path], geometryFilter(spec), spec, 1, threads);
    let frame: Uint8Array | undefined;
    for await (const f of run.frames) frame = f;
    const { code, stderr } = await run.done;
    if (code !== 0) lastError = stderr;
    frame ??= last;
    if (!frame) throw decodeFailure(info.path, lastError || 'no frame at the requested time');
    last = frame;
    yield { timeIndex: i, rgb: frame };
  }
}

/**
 * Decodes the frames at `times` (seconds from the start, ascending) straight to RGB in the model's
 * input geometry, streaming: at most a few frames are held at once. Rotation metadata is honoured
 * (ffmpeg autorotates). Throws an input error naming the file when nothing can be decoded.
 */
export function decodeFrames(
  info: VideoInfo,
  times: number[],
  spec: FrameSpec,
  options: { strategy?: DecodeStrategy; minStep?: number; /** ffmpeg's decoder and filter threads (default: ffmpeg's). */ threads?: number } = {},
): AsyncGenerator<DecodedFrame> {
  const strategy = options.strategy ?? chooseStrategy(info, times.length);
  if (strategy === 'seek') return decodeBySeeking(info, times, spec, options.threads);
  const minStep = options.minStep ?? smallestGap(times, info.duration);
  return decodeInOnePass(info, times, spec, 2 / minStep, options.threads);
}

function smallestGap(times: number[], duration: number): number {
  let gap = duration > 0 ? duration : 1;
  for (let i = 1; i < times.length; i++) if (times[i] - times[i - 1] > 1e-9) gap = Math.min(gap, times[i] - times[i - 1]);
  return gap;
}
