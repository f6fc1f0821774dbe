#!/usr/bin/env node
// npm run bench:decode — where per-sample seeking beats one decoding pass. A 10-minute H.264 video
// (320×240, 30 fps, keyframe every 250 frames, as x264's default) is sampled at decreasing densities
// with both strategies in the same run; the ratio seek / pass says which is cheaper at each density.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mediaBinaries, decodeFrames, SEEK_THRESHOLD_FRAMES_PER_SAMPLE, probeVideo } from '../dist/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vidlens-decode-'));
const video = join(dir, 'ten-minutes.mp4');
if (!existsSync(video)) {
  const r = spawnSync(mediaBinaries().ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=duration=600:size=320x240:rate=30',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '250', '-pix_fmt', 'yuv420p', video]);
  if (r.status !== 0) throw new Error(String(r.stderr));
}
const info = await probeVideo(video);
const spec = { size: 224, crop: true };
const sourceFrames = info.duration * info.fps;

async function time(strategy, times) {
  const start = performance.now();
  let n = 0;
  const frames = decodeFrames(info, times, spec, { strategy, minStep: times[1] - times[0] });
  while (!(await frames.next()).done) n++;
  if (n !== times.length) throw new Error(`${strategy}: ${n} of ${times.length} frames`);
  return (performance.now() - start) / 1000;
}

console.log(`bench:decode — ${info.duration.toFixed(0)} s at ${info.fps} fps (${sourceFrames} source frames), frames to ${spec.size} px; current threshold: seek above ${SEEK_THRESHOLD_FRAMES_PER_SAMPLE} source frames per sample`);
for (const samples of [1200, 400, 200, 100, 50, 20]) {
  const step = info.duration / samples;
  const times = Array.from({ length: samples }, (_, i) => (i + 0.5) * step);
  const pass = await time('pass', times);
  const seek = await time('seek', times);
  const per = sourceFrames / samples;
  console.log(`${String(samples).padStart(5)} samples (${per.toFixed(0).padStart(4)} source frames each): pass ${pass.toFixed(2)} s, seek ${seek.toFixed(2)} s, seek/pass ${(seek / pass).toFixed(2)} → ${seek < pass ? 'seek' : 'pass'} wins`);
}
rmSync(dir, { recursive: true, force: true });
