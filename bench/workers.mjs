#!/usr/bin/env node
// npm run bench:workers — indexing through the BullMQ queue (a real redis-server on a free port): the
// same videos indexed by 1 worker × 1 ONNX Runtime thread and by 2 workers × 1 thread (target: ≥ 1.7×
// faster), for the tiny model and a ViT-B/32-sized CLIP of random weights (VIDLENS_BENCH_SKIP_B32=1
// skips it); and the queue's overhead: one worker's end-to-end time against the encoder alone on the
// same frames with 1 thread, measured in the same run (target: within 10 %). Also a plain `vidlens index` of
// the same videos and an idle worker's start-up, which split one worker's time into its parts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_NAME } from '../dist/indexing/queue.js';
import { B32_SIZES, decodeFrames, loadEncoder, mediaBinaries, planSegments, probeVideo, writeTinyModel } from '../dist/index.js';

const work = mkdtempSync(join(tmpdir(), 'vidlens-bench-workers-'));
const bin = join(import.meta.dirname, '..', 'bin', 'vidlens.js');
const sampling = { window: 4, stride: 4, frames: 8 };
const { ffmpeg } = mediaBinaries();

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
const queue = `redis://127.0.0.1:${port}`;
const client = new Redis(port, '127.0.0.1');
await sleep(300);

const folder = join(work, 'videos');
mkdirSync(folder);
const videos = [];
for (let i = 0; i < 8; i++) {
  const path = join(folder, `v${i}.mp4`);
  const r = spawnSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=duration=64:size=320x240:rate=10,hue=h=${i * 40}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path]);
  if (r.status !== 0) throw new Error(`ffmpeg: ${r.stderr}`);
  videos.push(path);
}

function cli(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')}: ${err}`))));
  });
}

/**
 * Seconds from starting `workers` workers (1 thread each) on freshly queued videos to the last one
 * exiting, and the jobs' span: from the first job taken to the last one finished (BullMQ's processedOn
 * and finishedOn), which leaves out each worker's start-up and its drain check, not its first job's
 * child process and model load.
 */
async function queued(modelDir, workers) {
  await client.flushall();
  const db = join(work, `db-${workers}`);
  rmSync(db, { recursive: true, force: true });
  await cli(['index', folder, '--queue', queue, '--model', modelDir, '--window', '4', '--frames', '8']);
  const t = performance.now();
  await Promise.all(Array.from({ length: workers }, () => cli(['worker', '--queue', queue, '--db', db, '--threads', '1', '--drain'])));
  const seconds = (performance.now() - t) / 1000;
  const jobs = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port } });
  const done = await jobs.getJobs(['completed']);
  await jobs.close();
  if (done.length !== videos.length) throw new Error(`${done.length} of ${videos.length} jobs completed`);
  const span = (Math.max(...done.map((j) => j.finishedOn)) - Math.min(...done.map((j) => j.processedOn))) / 1000;
  return { seconds, span };
}

/** Seconds of one worker started on an empty queue until it exits (--drain): start-up and drain detection, no job. */
async function idleWorker() {
  await client.flushall();
  const t = performance.now();
  await cli(['worker', '--queue', queue, '--db', join(work, 'db-idle'), '--threads', '1', '--drain']);
  return (performance.now() - t) / 1000;
}

/** Seconds of one `vidlens index` process (1 thread) on the same videos with no queue: decoding, encoding and commits. */
async function direct(modelDir) {
  const db = join(work, 'db-direct');
  rmSync(db, { recursive: true, force: true });
  const t = performance.now();
  await cli(['index', folder, '--db', db, '--model', modelDir, '--window', '4', '--frames', '8', '--threads', '1']);
  return (performance.now() - t) / 1000;
}

async function encoderOnly(modelDir) {
  const { encoder } = await loadEncoder(modelDir, { threads: 1 });
  const frames = [];
  for (const path of videos) {
    const info = await probeVideo(path);
    for await (const f of decodeFrames(info, planSegments(info.duration, sampling).times, encoder.manifest.frame)) frames.push(f.rgb);
  }
  await encoder.embedFrames(encoder.prepareFrames(frames.slice(0, 32)));
  const t = performance.now();
  for (let i = 0; i < frames.length; i += 32) await encoder.embedFrames(encoder.prepareFrames(frames.slice(i, i + 32)));
  const seconds = (performance.now() - t) / 1000;
  await encoder.dispose();
  return { frames: frames.length, seconds };
}

const models = [['tiny', {}], ...(process.env.VIDLENS_BENCH_SKIP_B32 ? [] : [['b32-sized', B32_SIZES]])];
const out = { date: new Date().toISOString().slice(0, 10), videos: videos.length, seconds: 64, sampling, results: [] };
for (const [name, sizes] of models) {
  const modelDir = join(work, name);
  await writeTinyModel(modelDir, { seed: 1, ...sizes });
  const encoder = await encoderOnly(modelDir);
  // Alternated, best of two: machine noise hits both alike.
  const best = (runs) => ({ seconds: Math.min(...runs.map((r) => r.seconds)), span: Math.min(...runs.map((r) => r.span)) });
  const ones = [await queued(modelDir, 1)];
  const twos = [await queued(modelDir, 2)];
  ones.push(await queued(modelDir, 1));
  twos.push(await queued(modelDir, 2));
  const { seconds: one, span: oneSpan } = best(ones);
  const { seconds: two, span: twoSpan } = best(twos);
  const noQueue = Math.min(await direct(modelDir), await direct(modelDir));
  const idle = Math.min(await idleWorker(), await idleWorker());
  out.results.push({
    model: name, frames: encoder.frames, encoderOnlySeconds: Number(encoder.seconds.toFixed(2)), oneWorkerSeconds: Number(one.toFixed(2)), twoWorkersSeconds: Number(two.toFixed(2)),
    // Where one worker's time goes: a plain `vidlens index` of the same videos (decode + encode + commits, one
    // process start) and a worker's start-up on an empty queue.
    directIndexSeconds: Number(noQueue.toFixed(2)), idleWorkerSeconds: Number(idle.toFixed(2)), oneWorkerOverDirect: Number((one / noQueue).toFixed(3)),
    speedup: Number((one / two).toFixed(3)),
    oneWorkerJobsSpanSeconds: Number(oneSpan.toFixed(2)), twoWorkersJobsSpanSeconds: Number(twoSpan.toFixed(2)), jobsSpanSpeedup: Number((oneSpan / twoSpan).toFixed(3)),
    queueOverhead: Number((one / encoder.seconds - 1).toFixed(3)),
    targets: { speedup_ge_1_7: one / two >= 1.7, overhead_le_10pct: one / encoder.seconds - 1 <= 0.1 },
  });
}
console.log(JSON.stringify(out, null, 2));
client.disconnect();
redis.kill('SIGKILL');
rmSync(work, { recursive: true, force: true });
