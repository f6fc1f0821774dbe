import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mediaBinaries } from '../../src/media/binaries.js';
import { chooseStrategy, decodeFrames } from '../../src/media/decode.js';
import { planSegments } from '../../src/media/plan.js';
import { probeVideo, type VideoInfo } from '../../src/media/probe.js';
import { greyRamp, rampIndex } from '../helpers/videos.js';
import { ffmpegThreads } from '../helpers/processes.js';
import { SHARED_VIDEOS, tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const spec = { size: 32, crop: true };

async function collect(gen: AsyncGenerator<{ timeIndex: number; rgb: Uint8Array }>) {
  const out: Array<{ timeIndex: number; rgb: Uint8Array }> = [];
  for await (const f of gen) out.push(f);
  return out;
}

describe('decodeFrames', () => {
  let ramp: VideoInfo;
  beforeAll(async () => {
    await greyRamp(join(dir, 'ramp.mp4'), { frames: 60, fps: 10 });
    ramp = await probeVideo(join(dir, 'ramp.mp4'));
  });

  it('yields one model-sized RGB frame per sample time, in order', async () => {
    const plan = planSegments(ramp.duration, { window: 2, stride: 2, frames: 4 });
    const frames = await collect(decodeFrames(ramp, plan.times, spec, { strategy: 'pass' }));
    expect(frames.map((f) => f.timeIndex)).toEqual(plan.times.map((_, i) => i));
    for (const f of frames) expect(f.rgb.length).toBe(32 * 32 * 3);
  });

  // ffmpeg's accurate seek returns the first frame at or after t; the one-pass grid takes the
  // nearest frame. Both stay within one source frame of the frame on screen at t.
  it('lands within one source frame of each sample time, by one pass and by seeking', async () => {
    const times = [0.05, 0.55, 1.25, 2.75, 4.05, 5.85];
    const pass = await collect(decodeFrames(ramp, times, spec, { strategy: 'pass', minStep: 0.1 }));
    const seek = await collect(decodeFrames(ramp, times, spec, { strategy: 'seek' }));
    const expected = times.map((t) => Math.floor(t * 10));
    const passIdx = pass.map((f) => rampIndex(f.rgb));
    const seekIdx = seek.map((f) => rampIndex(f.rgb));
    passIdx.forEach((k, i) => expect(k - expected[i]).toBeGreaterThanOrEqual(0));
    passIdx.forEach((k, i) => expect(k - expected[i]).toBeLessThanOrEqual(1));
    seekIdx.forEach((k, i) => expect(k - expected[i]).toBeGreaterThanOrEqual(0));
    seekIdx.forEach((k, i) => expect(k - expected[i]).toBeLessThanOrEqual(1));
  });

  it('repeats the last frame for sample times past the end of the stream', async () => {
    const frames = await collect(decodeFrames(ramp, [5.5, 5.95, 7.0], spec, { strategy: 'pass' }));
    expect(frames).toHaveLength(3);
    expect(rampIndex(frames[2].rgb)).toBeGreaterThanOrEqual(58);
  });

  it('bounds ffmpeg to the threads asked for, by one pass and by seeking, with the same frames', async () => {
    const times = [0.05, 1.25, 2.75, 4.05];
    for (const strategy of ['pass', 'seek'] as const) {
      const threadsWhileDecoding = async (threads?: number) => {
        const frames = decodeFrames(ramp, times, spec, { strategy, minStep: 0.1, threads });
        const first = await frames.next();
        // One pass: its ffmpeg is still running after the first frame. Seeking runs one ffmpeg per sample, none between them.
        const counts = ffmpegThreads();
        const rest = await collect(frames);
        return { counts, frames: [first.value as { rgb: Uint8Array }, ...rest].map((f) => Buffer.from(f.rgb).toString('base64')) };
      };
      const bounded = await threadsWhileDecoding(1);
      const free = await threadsWhileDecoding();
      expect(bounded.frames, strategy).toEqual(free.frames);
      if (strategy === 'pass') {
        expect(bounded.counts).toEqual([1]);
        expect(free.counts[0]).toBeGreaterThan(1);
      }
    }
  });

  it('picks one pass for dense sampling and seeks for sparse sampling of a long video', () => {
    expect(chooseStrategy({ duration: 600, fps: 30 }, 1200)).toBe('pass');
    expect(chooseStrategy({ duration: 3600, fps: 30 }, 60)).toBe('seek');
    // Either side of the crossover measured by bench:decode (180 → pass wins, 360 → seek wins).
    expect(chooseStrategy({ duration: 600, fps: 30 }, 100)).toBe('pass');
    expect(chooseStrategy({ duration: 600, fps: 30 }, 50)).toBe('seek');
  });

  it('honours rotation metadata: a −180° video decodes upright', async () => {
    const path = join(SHARED_VIDEOS, 'moviepy__fire2.mp4');
    const info = await probeVideo(path);
    const [rotated] = await collect(decodeFrames(info, [1.0], { size: 32, crop: false }, { strategy: 'seek' }));
    const raw = spawnSync(mediaBinaries().ffmpeg, [
      '-hide_banner', '-loglevel', 'error', '-noautorotate', '-ss', '1.000', '-i', path,
      '-frames:v', '1', '-vf', 'scale=32:32:flags=bicubic', '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1',
    ]).stdout;
    // Rotating the unrotated frame by 180° must give (nearly) what vidlens decoded.
    let diff = 0;
    let diffUnrotated = 0;
    for (let p = 0; p < 32 * 32; p++) {
      const q = 32 * 32 - 1 - p;
      for (let c = 0; c < 3; c++) {
        diff += Math.abs(rotated.rgb[p * 3 + c] - raw[q * 3 + c]);
        diffUnrotated += Math.abs(rotated.rgb[p * 3 + c] - raw[p * 3 + c]);
      }
    }
    expect(diff / (32 * 32 * 3)).toBeLessThan(8);
    expect(diffUnrotated).toBeGreaterThan(diff * 2);
  });
});
