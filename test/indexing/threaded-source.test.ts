import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planSegments } from '../../src/media/plan.js';
import { probeVideo } from '../../src/media/probe.js';
import { frameSource, type SourceItem, type VideoJob } from '../../src/indexing/frame-source.js';
import { threadedFrameSource } from '../../src/indexing/threaded-source.js';
import { ffmpegThreads } from '../helpers/processes.js';
import { greyRamp, rampIndex } from '../helpers/videos.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const spec = { size: 64, crop: true };

async function job(path: string, window = 2): Promise<VideoJob> {
  const info = await probeVideo(path);
  return { candidate: { path, id: path, size: 0, mtimeMs: 0 }, info, plan: planSegments(info.duration, { window, stride: window, frames: 4 }) };
}

/** Each item as the job's path, its kind, its time index and its frame's ramp level. */
async function describeItems(items: AsyncGenerator<SourceItem>) {
  const out: string[] = [];
  for await (const item of items) out.push(item.kind === 'frame' ? `${item.job.info.path} ${item.timeIndex} ${rampIndex(item.rgb)}` : `${item.job.info.path} failed: ${item.error}`);
  return out;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('threadedFrameSource', () => {
  let jobs: VideoJob[];
  let long: VideoJob;
  beforeAll(async () => {
    await greyRamp(join(dir, 'a.mp4'), { frames: 40, fps: 10 });
    await greyRamp(join(dir, 'b.mp4'), { frames: 60, fps: 10 });
    await greyRamp(join(dir, 'long.mp4'), { frames: 600, fps: 10 });
    const a = await job(join(dir, 'a.mp4'));
    const b = await job(join(dir, 'b.mp4'));
    // Probed, then gone: decoding fails part-way through the run.
    const gone = { ...a, candidate: { ...a.candidate, path: join(dir, 'gone.mp4') }, info: { ...a.info, path: join(dir, 'gone.mp4') } };
    jobs = [a, gone, b];
    long = await job(join(dir, 'long.mp4'), 1);
  });

  it('yields what frameSource yields, in the same order, a failing video reported between the others', async () => {
    const threaded = await describeItems(threadedFrameSource(jobs, spec, { readAhead: 16 }));
    expect(threaded).toEqual(await describeItems(frameSource(jobs, spec)));
    expect(threaded.filter((line) => line.includes('gone.mp4 failed: ') && line.includes('ffmpeg could not decode'))).toHaveLength(1);
    expect(threaded.filter((line) => !line.includes('failed'))).toHaveLength(jobs[0].plan.times.length + jobs[2].plan.times.length);
  });

  it('hands every job back to the caller as the same object, and runs with a read-ahead of one batch of one', async () => {
    const items: SourceItem[] = [];
    for await (const item of threadedFrameSource(jobs, spec, { readAhead: 2 })) {
      items.push(item);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(new Set(items.map((i) => i.job))).toEqual(new Set(jobs));
    expect(items.filter((i) => i.kind === 'frame')).toHaveLength(jobs[0].plan.times.length + jobs[2].plan.times.length);
  });

  // The point of the thread: the model holds the calling thread for as long as a batch takes to embed.
  it('keeps decoding, up to its read-ahead, while the calling thread is blocked', async () => {
    const readAhead = 32;
    const items = threadedFrameSource([long], spec, { readAhead });
    expect((await items.next()).done).toBe(false);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
    // Unbounded, ffmpeg would have decoded the whole minute (about 0.1 s of work) and exited by now.
    expect(ffmpegThreads().length).toBe(1);
    await nextTurn();
    // Frames decoded during the block are already here: each `next` settles before the next turn.
    let ready = 0;
    for (;;) {
      const settled = await Promise.race([items.next().then(() => true), nextTurn().then(() => false)]);
      if (!settled) break;
      ready++;
    }
    await items.return(undefined);
    expect(ready).toBeGreaterThanOrEqual(readAhead / 2);
  });

  it('stops its ffmpeg when the caller leaves early', async () => {
    let taken = 0;
    for await (const item of threadedFrameSource([long], spec, { readAhead: 8 })) {
      expect(item.kind).toBe('frame');
      if (++taken === 3) break;
    }
    const deadline = Date.now() + 10_000;
    while (ffmpegThreads().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ffmpegThreads().length).toBe(0);
  });

  // The built module starts its thread from the .js file beside it, also under `node --input-type=module -e`.
  it('runs from the built package in a script given to node -e', () => {
    const built = new URL('../../dist/indexing/threaded-source.js', import.meta.url).href;
    const script = `import { threadedFrameSource } from ${JSON.stringify(built)};
let frames = 0;
for await (const item of threadedFrameSource(${JSON.stringify(jobs)}, ${JSON.stringify(spec)}, { readAhead: 8 })) frames += item.kind === 'frame' ? 1 : 0;
console.log(frames);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(Number(run.stdout)).toBe(jobs[0].plan.times.length + jobs[2].plan.times.length);
  });
});
