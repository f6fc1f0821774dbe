import { copyFileSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobBody, SearchBody, VideoListBody } from '../../src/server/schemas.js';
import { vidlensJson } from '../helpers/cli.js';
import { getJson, servedIndex, startServer, type ServedIndex } from '../helpers/server.js';
import { SHARED_VIDEOS, tempDir } from '../helpers/tmp.js';

/** Reads a job's server-sent events until the stream ends (the job ended). */
async function events(url: string, id: string): Promise<JobBody[]> {
  const response = await fetch(`${url}/api/jobs/${id}/events`);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const text = await response.text();
  return text.split('\n\n').filter((chunk) => chunk.startsWith('data: ')).map((chunk) => JSON.parse(chunk.slice(6)) as JobBody);
}

const post = (url: string, body: unknown) => getJson<JobBody>(`${url}/api/jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('index jobs on a running server', () => {
  const root = tempDir();
  let index: ServedIndex;
  let url: string;
  let close: () => Promise<void>;
  const jobRoot = join(root, 'footage');

  beforeAll(async () => {
    index = await servedIndex(root);
    mkdirSync(join(jobRoot, 'kitchen'), { recursive: true });
    copyFileSync(join(SHARED_VIDEOS, 'mmaction2__demo_demo.mp4'), join(jobRoot, 'kitchen', 'demo.mp4'));
    copyFileSync(join(SHARED_VIDEOS, 'imageio__realshort.mp4'), join(jobRoot, 'kitchen', 'short.mp4'));
    // A file link leading out of the root: left out, and said so.
    symlinkSync(join(SHARED_VIDEOS, 'moviepy__chaplin.mp4'), join(jobRoot, 'kitchen', 'chaplin.mp4'));
    mkdirSync(join(jobRoot, 'many'));
    for (const name of readdirSync(SHARED_VIDEOS).filter((n) => n.endsWith('.mp4')).slice(0, 8)) copyFileSync(join(SHARED_VIDEOS, name), join(jobRoot, 'many', name));
    ({ url, close } = await startServer({ db: index.db, jobRoots: [jobRoot] }));
  }, 240_000);
  afterAll(() => close?.());

  it('indexes a folder with the CLI’s code, streaming progress, and the new videos become searchable', async () => {
    const started = await post(url, { path: join(jobRoot, 'kitchen'), domain: 'kitchen' });
    expect(started.status).toBe(202);
    expect(started.body.state).toMatch(/queued|running/);
    const seen = await events(url, started.body.id);
    const last = seen.at(-1)!;
    expect(last.state).toBe('done');
    expect(seen.some((e) => e.state === 'running' && e.progress?.task === 'indexing' && e.progress.unit === 'frames')).toBe(true);
    expect(last.summary).toMatchObject({ indexed: 2, skipped: 0, failed: [] });
    expect(last.summary!.warnings.join('\n')).toContain('chaplin.mp4: leads outside the index-job roots; not indexed');

    const kitchen = (await getJson<VideoListBody>(`${url}/api/videos?domain=kitchen`)).body.videos;
    expect(kitchen.map((v) => v.path.split('/').pop()).sort()).toEqual(['demo.mp4', 'short.mp4']);
    const found = (await getJson<SearchBody>(`${url}/api/search?q=a%20person&domain=kitchen&k=3`)).body;
    expect(found.results).toHaveLength(3);
    expect((await getJson<JobBody>(`${url}/api/jobs/${started.body.id}`)).body.state).toBe('done');
  });

  it('cancels a running job, keeping what it committed and leaving no orphan segments', async () => {
    const running = await post(url, { path: join(jobRoot, 'many'), domain: 'many' });
    const stream = await fetch(`${url}/api/jobs/${running.body.id}/events`);
    const reader = stream.body!.getReader();
    let buffered = '';
    // Cancel once the first frames are embedded.
    while (!buffered.includes('"task":"indexing"')) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += new TextDecoder().decode(value);
    }
    const cancelled = await getJson<JobBody>(`${url}/api/jobs/${running.body.id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    while (!(await reader.read()).done);
    const last = (await getJson<JobBody>(`${url}/api/jobs/${running.body.id}`)).body;
    expect(last.state).toBe('cancelled');
    expect(last.summary!.indexed).toBeLessThan(8);

    const info = await vidlensJson<{ videos: number; segments: number }>(['info', '--db', index.db]);
    const videos = (await getJson<VideoListBody>(`${url}/api/videos`)).body.videos;
    expect(info.json.segments).toBe(videos.reduce((sum, v) => sum + v.segments, 0));

    // A later job resumes: the folder ends fully indexed.
    const resumed = await post(url, { path: join(jobRoot, 'many'), domain: 'many' });
    const end = (await events(url, resumed.body.id)).at(-1)!;
    expect(end.state).toBe('done');
    expect(end.summary!.indexed + end.summary!.skipped).toBe(8);
  });

  it('queues jobs in order, and a queued job can be cancelled before it starts', async () => {
    const first = await post(url, { path: join(jobRoot, 'kitchen') });
    const second = await post(url, { path: join(jobRoot, 'kitchen') });
    expect(second.body.state).toBe('queued');
    const cancelled = await getJson<JobBody>(`${url}/api/jobs/${second.body.id}`, { method: 'DELETE' });
    expect(cancelled.body.state).toBe('cancelled');
    expect((await events(url, first.body.id)).at(-1)!.state).toBe('done');
    const list = (await getJson<{ jobs: JobBody[] }>(`${url}/api/jobs`)).body.jobs;
    expect(list.map((j) => j.id)).toEqual([...list.map((j) => j.id)].sort((a, b) => Number(a) - Number(b)));
    expect((await getJson(`${url}/api/jobs/999`)).status).toBe(404);
  });

  it('says jobs are off on a server without roots', async () => {
    const plain = await startServer({ db: index.db });
    try {
      const { status, body } = await getJson<{ error: string }>(`${plain.url}/api/jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ path: jobRoot }) });
      expect(status).toBe(400);
      expect(body.error).toContain('index jobs are off: start the server with --job-root DIR');
    } finally {
      await plain.close();
    }
  });
});
