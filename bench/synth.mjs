#!/usr/bin/env node
// npm run bench:synth — 240 clips (4 domains × 60) of 4 s at 128 px, 8 fps, must take under 60 s.
// Baseline in the same run: one ffmpeg process encoding the same number of frames of its own test
// pattern at the same size (x264 speed of this machine right now).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mediaBinaries, generateSynth } from '../dist/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vidlens-bench-synth-'));
const options = { out: join(dir, 'synth'), seed: 7, perDomain: 60, domains: ['lab', 'factory', 'night', 'helmet'], size: 128, fps: 8, seconds: 4 };
const frames = 240 * options.fps * options.seconds;

const t0 = performance.now();
const r = spawnSync(mediaBinaries().ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=128x128:rate=8:duration=${frames / 8}`,
  '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '12', '-pix_fmt', 'yuv420p', join(dir, 'baseline.mp4')]);
if (r.status !== 0) throw new Error(String(r.stderr));
const baseline = (performance.now() - t0) / 1000;

const summary = await generateSynth(options);
console.log(`synth: ${summary.clips} clips (${frames} frames) in ${summary.seconds.toFixed(1)} s (bound 60 s) ${summary.seconds < 60 ? 'PASS' : 'FAIL'}` +
  ` — ${(summary.seconds / baseline).toFixed(1)}× one ffmpeg encode of ${frames} test-pattern frames (${baseline.toFixed(1)} s)`);
rmSync(dir, { recursive: true, force: true });
