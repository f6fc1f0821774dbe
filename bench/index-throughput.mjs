#!/usr/bin/env node
// npm run bench:index — end-to-end indexing throughput against encoder-only throughput on the same
// frames, measured in the same run, for the tiny model, the bundled pretrained model (whose end-to-end time
// must stay within 1.2× the tiny model's) and a ViT-B/32-sized CLIP of random weights (skip with VIDLENS_BENCH_SKIP_B32=1);
// then peak resident memory while indexing a 1-hour video.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIndex, mediaBinaries, decodeFrames, planSegments, probeVideo, loadEncoder, B32_SIZES, writeTinyModel, writePretrainedModel } from '../dist/index.js';

const work = process.env.VIDLENS_BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'vidlens-bench-'));
const keep = Boolean(process.env.VIDLENS_BENCH_DIR);
const sampling = { window: 4, stride: 4, frames: 8 };
const batchSize = Number(process.env.VIDLENS_BENCH_BATCH ?? 32);
const { ffmpeg } = mediaBinaries();

function makeVideo(path, source) {
  if (existsSync(path)) return;
  const r = spawnSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', source,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path]);
  if (r.status !== 0) throw new Error(`ffmpeg: ${r.stderr}`);
}

async function encoderOnlyFps(modelDir, videos) {
  const { encoder } = await loadEncoder(modelDir);
  const frames = [];
  for (const path of videos) {
    const info = await probeVideo(path);
    const plan = planSegments(info.duration, sampling);
    for await (const f of decodeFrames(info, plan.times, encoder.manifest.frame)) frames.push(f.rgb);
  }
  await encoder.embedFrames(encoder.prepareFrames(frames.slice(0, batchSize))); // warm-up
  const start = performance.now();
  for (let i = 0; i < frames.length; i += batchSize) {
    await encoder.embedFrames(encoder.prepareFrames(frames.slice(i, i + batchSize)));
  }
  const seconds = (performance.now() - start) / 1000;
  await encoder.dispose();
  return { frames: frames.length, seconds, fps: frames.length / seconds };
}

async function endToEndFps(modelDir, folder, db) {
  rmSync(db, { recursive: true, force: true });
  const s = await runIndex({ paths: [folder], db, model: modelDir, sampling, batchSize });
  if (s.failed.length) throw new Error(`index failures: ${JSON.stringify(s.failed)}`);
  return { frames: s.frames, seconds: s.timings.pipeline, fps: s.frames / s.timings.pipeline, timings: s.timings };
}

async function compare(name, modelDir, folder, videos) {
  // Alternate the two measurements so machine noise hits both alike; report the best of each.
  const e2e = [];
  const enc = [];
  for (let round = 0; round < 2; round++) {
    enc.push(await encoderOnlyFps(modelDir, videos));
    e2e.push(await endToEndFps(modelDir, folder, join(work, `db-${name}`)));
  }
  const best = (runs) => runs.reduce((a, b) => (b.fps > a.fps ? b : a));
  const e = best(e2e);
  const o = best(enc);
  console.log(`${name.padEnd(10)} frames ${e.frames}  end-to-end ${e.fps.toFixed(1)} frames/s  encoder-only ${o.fps.toFixed(1)} frames/s  ratio ${(e.fps / o.fps).toFixed(3)}` +
    `  (decode wait ${e.timings.decodeWait.toFixed(2)} s, encode ${e.timings.encode.toFixed(2)} s, store ${e.timings.storeWait.toFixed(2)} s)`);
  return { ratio: e.fps / o.fps, fps: e.fps };
}

function peakRss(modelDir, video, db) {
  rmSync(db, { recursive: true, force: true });
  const script = `
    import { runIndex } from '${join(import.meta.dirname, '..', 'dist', 'indexing', 'run.js')}';
    const s = await runIndex({ paths: [${JSON.stringify(video)}], db: ${JSON.stringify(db)}, model: ${JSON.stringify(modelDir)} });
    console.log(JSON.stringify({ frames: s.frames, segments: s.segments, seconds: s.seconds, maxRssKiB: process.resourceUsage().maxRSS }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const folder = join(work, 'videos');
mkdirSync(folder, { recursive: true });
const videos = [];
for (let i = 0; i < 6; i++) {
  const path = join(folder, `clip${i}.mp4`);
  makeVideo(path, `testsrc=duration=20:size=640x360:rate=30,hue=h=${i * 60}`);
  videos.push(path);
}
console.log(`bench:index — ${videos.length} videos × 20 s, 640×360 @ 30 fps; window 4 s, 8 frames; batch ${batchSize}; work dir ${work}`);

const tiny = join(work, 'tiny');
if (!existsSync(join(tiny, 'config.json'))) await writeTinyModel(tiny);
const pretrained = join(work, 'pretrained');
if (!existsSync(join(pretrained, 'config.json'))) await writePretrainedModel(pretrained);
const b32 = join(work, 'b32');
const skipB32 = Boolean(process.env.VIDLENS_BENCH_SKIP_B32);
if (!skipB32 && !existsSync(join(b32, 'config.json'))) await writeTinyModel(b32, B32_SIZES);

const tinyE2e = (await compare('tiny', tiny, folder, videos)).fps;
const pretrainedE2e = (await compare('pretrained', pretrained, folder, videos)).fps;
const slowdown = tinyE2e / pretrainedE2e;
console.log(`pretrained vs tiny end-to-end time: ${slowdown.toFixed(3)}× (target ≤ 1.2) ${slowdown <= 1.2 ? 'PASS' : 'FAIL'}`);
if (!skipB32) {
  const { ratio } = await compare('b32', b32, folder, videos);
  console.log(`B/32 ratio end-to-end / encoder-only: ${ratio.toFixed(3)} (target ≥ 0.75) ${ratio >= 0.75 ? 'PASS' : 'FAIL'}`);
}

const hour = join(work, 'hour.mp4');
makeVideo(hour, 'testsrc=duration=3600:size=320x240:rate=10');
for (const [name, dir] of [['tiny', tiny], ['pretrained', pretrained], ['b32', b32]]) {
  if (name === 'b32' && (skipB32 || process.env.VIDLENS_BENCH_SKIP_B32_HOUR)) continue;
  const m = peakRss(dir, hour, join(work, `db-hour-${name}`));
  const mib = m.maxRssKiB / 1024;
  console.log(`1-hour video, ${name}: ${m.frames} frames, ${m.segments} segments in ${m.seconds.toFixed(1)} s, peak RSS ${mib.toFixed(0)} MiB (bound 1536 MiB) ${mib < 1536 ? 'PASS' : 'FAIL'}`);
}
if (!keep) rmSync(work, { recursive: true, force: true });
