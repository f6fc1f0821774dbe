import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/store/catalog.js';
import { BIN, vidlens, vidlensJson } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { testPattern } from '../helpers/videos.js';

interface Status { waiting: number; active: number; delayed: number; completed: number; failed: number; failures: Array<{ path: string; error: string; attempts: number }> }

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A worker in its own process group, so that SIGKILL takes its sandboxed children with it (a machine that dies). */
function worker(queue: string, db: string): ChildProcess {
  return spawn(process.execPath, [BIN, 'worker', '--queue', queue, '--db', db, '--drain'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
}
const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('indexing through a BullMQ queue on a real Redis', () => {
  const root = tempDir();
  const footage = join(root, 'footage');
  const sampling = ['--window', '0.1', '--frames', '1'];
  let redis: ChildProcess;
  let queue: string;
  const status = async () => (await vidlensJson<Status>(['index', '--queue', queue, '--status'])).json;

  beforeAll(async () => {
    const port = await freePort();
    queue = `redis://127.0.0.1:${port}`;
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    expect((await vidlens(['model', 'tiny', join(root, 'tiny')])).code).toBe(0);
    mkdirSync(footage);
    for (const [i, pattern] of ['testsrc', 'testsrc2', 'smptebars', 'rgbtestsrc'].entries()) await testPattern(join(footage, `v${i}.mp4`), { seconds: 40, fps: 10, pattern });
  }, 120_000);
  afterAll(() => redis?.kill('SIGKILL'));

  it('enqueues one job per video, and the same videos again as the same jobs', async () => {
    const args = ['index', footage, '--queue', queue, '--model', join(root, 'tiny'), ...sampling, '--domain', 'cam'];
    const first = await vidlensJson<{ enqueued: number; existing: number; jobs: Array<{ id: string }> }>(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ enqueued: 4, existing: 0 });
    const again = await vidlensJson<{ enqueued: number; existing: number; jobs: Array<{ id: string }> }>(args);
    expect(again.json).toMatchObject({ enqueued: 0, existing: 4 });
    expect(again.json.jobs.map((j) => j.id)).toEqual(first.json.jobs.map((j) => j.id));
    expect(await status()).toMatchObject({ waiting: 4, active: 0, completed: 0, failed: 0 });
  });

  it('two workers, one killed (SIGKILL) mid-video: every video ends up indexed exactly once', async () => {
    const db = join(root, 'db');
    const doomed = worker(queue, db);
    const survivor = worker(queue, db);
    let output = '';
    survivor.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    survivor.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const survived = exited(survivor);
    for (let t = 0; (await status()).active < 2; t++) {
      expect(t, 'both workers should take a job').toBeLessThan(200);
      await sleep(100);
    }
    process.kill(-doomed.pid!, 'SIGKILL');
    await exited(doomed);
    expect(await survived, output).toBe(0);
    expect(await status()).toMatchObject({ waiting: 0, active: 0, delayed: 0, completed: 4, failed: 0 });
    const catalog = await Catalog.open(db, { create: false });
    const videos = await catalog.videos.all();
    expect(videos.map((v) => v.path).sort()).toEqual([0, 1, 2, 3].map((i) => join(footage, `v${i}.mp4`)));
    const perVideo = await Promise.all(videos.map((v) => catalog.segments.count({ videoId: v.id })));
    // 40 s in 0.1 s windows: 400 segments each, none twice and none left over from the killed run.
    expect(perVideo).toEqual([400, 400, 400, 400]);
    expect(await catalog.segments.count()).toBe(1600);
    expect(videos.every((v) => v.domain === 'cam')).toBe(true);
  }, 180_000);

  it('retries a file that fails with backoff, then reports it as failed with its reason', async () => {
    const bad = join(root, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'broken.mp4'), 'not a video at all');
    expect((await vidlens(['index', bad, '--queue', queue, '--model', join(root, 'tiny'), ...sampling])).code).toBe(0);
    const run = await vidlens(['worker', '--queue', queue, '--db', join(root, 'db'), '--drain']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/failed \(attempt 1, will retry\): .*broken\.mp4/);
    expect(run.stderr).toMatch(/failed \(attempt 3, giving up\): .*broken\.mp4/);
    const s = await status();
    expect(s.failed).toBe(1);
    expect(s.failures[0]).toMatchObject({ path: join(bad, 'broken.mp4'), attempts: 3 });
  }, 120_000);

  it('names --queue when Redis cannot be reached, with exit code 2', async () => {
    const port = await freePort();
    for (const args of [['index', footage, '--queue', `redis://127.0.0.1:${port}`], ['worker', '--queue', `redis://127.0.0.1:${port}`], ['index', '--queue', `redis://127.0.0.1:${port}`, '--status']]) {
      const r = await vidlens(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`--queue redis://127\\.0\\.0\\.1:${port}: cannot reach Redis \\(connect ECONNREFUSED`));
      expect(r.stdout).toBe('');
    }
    const wrong = await vidlens(['index', footage, '--queue', 'http://127.0.0.1:1']);
    expect(wrong.stderr).toMatch(/--queue http:\/\/127\.0\.0\.1:1: expected a redis:\/\/ URL/);
  });
});
