import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPI } from 'openapi-types';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchBody, SimilarBody, VideoBody, VideoListBody } from '../../src/server/schemas.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { getJson, servedIndex, startServer, type ServedIndex } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

/** A request whose path goes to the server exactly as written (fetch would normalise `..`). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('vidlens serve: the JSON API over HTTP', () => {
  const root = tempDir();
  let index: ServedIndex;
  let url: string;
  let close: () => Promise<void>;
  let videos: VideoListBody['videos'];

  beforeAll(async () => {
    index = await servedIndex(root);
    const trained = await vidlens(['train', 'retrieval', '--db', index.db, '--dataset', join(index.synth, 'clips.jsonl'), '--epochs', '2', '--batch-size', '4', '--out', join(root, 'adapter')]);
    expect(trained.code, trained.stderr).toBe(0);
    ({ url, close } = await startServer({ db: index.db, maxUploadBytes: 200_000, adapters: { sms: join(root, 'adapter') } }));
    videos = (await getJson<VideoListBody>(`${url}/api/videos`)).body.videos;
  }, 240_000);
  afterAll(() => close?.());

  it('reports the index as `vidlens info --json` does', async () => {
    const { status, body } = await getJson(`${url}/api/info`);
    const cli = await vidlensJson(['info', '--db', index.db]);
    expect(status).toBe(200);
    expect(body).toEqual(cli.json);
    expect(body.segments).toBe(24);
  });

  it('searches by text: ranked flat results and the same hits grouped per video', async () => {
    const { status, body } = await getJson<SearchBody>(`${url}/api/search?q=${encodeURIComponent('a red shape')}&k=7`);
    expect(status).toBe(200);
    expect(body.query).toBe('a red shape');
    expect(body.k).toBe(7);
    expect(body.results.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const scores = body.results.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Scores keep full precision (not rounded for display).
    expect(scores.some((s) => String(s).length > 8)).toBe(true);
    for (const r of body.results) expect(r.segment.startsWith(`${r.video.id}:`)).toBe(true);
    const grouped = body.groups.flatMap((g) => g.results.flatMap((m) => m.segments)).sort();
    expect(grouped).toEqual(body.results.map((r) => r.segment).sort());
    for (const g of body.groups) for (const m of g.results) expect(m.segments.every((s) => s.startsWith(`${g.video.id}:`))).toBe(true);
  });

  it('merges a video’s adjacent hits into one span', async () => {
    const { body } = await getJson<SearchBody>(`${url}/api/search?q=shape&k=24`);
    expect(body.results).toHaveLength(24);
    expect(body.groups).toHaveLength(8);
    for (const g of body.groups) {
      expect(g.results).toHaveLength(1);
      expect(g.results[0]).toMatchObject({ start: 0, end: 12 });
      expect(g.results[0].segments).toEqual([0, 1, 2].map((i) => `${g.video.id}:${i}`));
    }
  });

  it('filters by domain, video and time range', async () => {
    const night = (await getJson<SearchBody>(`${url}/api/search?q=shape&k=24&domain=night`)).body;
    expect(night.results).toHaveLength(12);
    expect(night.results.every((r) => r.video.domain === 'night')).toBe(true);
    const one = videos[0];
    const inVideo = (await getJson<SearchBody>(`${url}/api/search?q=shape&k=24&video=${one.id}`)).body;
    expect(inVideo.results.map((r) => r.segment).sort()).toEqual([0, 1, 2].map((i) => `${one.id}:${i}`));
    const middle = (await getJson<SearchBody>(`${url}/api/search?q=shape&k=24&from=5&to=7`)).body;
    expect(middle.results).toHaveLength(8);
    expect(middle.results.every((r) => r.start === 4 && r.end === 8)).toBe(true);
  });

  it('refuses bad searches with a 400 that names the problem', async () => {
    const noQuery = await getJson<{ error: string }>(`${url}/api/search?k=3`);
    expect(noQuery.status).toBe(400);
    expect(noQuery.body.error).toMatch(/q: .*expected string/);
    const badK = await getJson<{ error: string }>(`${url}/api/search?q=x&k=0`);
    expect(badK.status).toBe(400);
    expect(badK.body.error).toMatch(/k: .*>=1/);
    const domain = await getJson<{ error: string }>(`${url}/api/search?q=x&domain=kitchen`);
    expect(domain.status).toBe(400);
    expect(domain.body.error).toContain('--domain kitchen: no indexed video has this domain (the index has: lab, night)');
    const adapter = await getJson<{ error: string }>(`${url}/api/search?q=x&adapter=infonce`);
    expect(adapter.status).toBe(400);
    expect(adapter.body.error).toContain('adapter infonce: not configured (the server has: sms)');
  });

  it('ranks through a configured adapter as the CLI does with --adapter', async () => {
    const { status, body } = await getJson<SearchBody>(`${url}/api/search?q=${encodeURIComponent('a blue shape')}&k=6&adapter=sms`);
    expect(status).toBe(200);
    const cli = await vidlensJson<{ results: SearchBody['results'] }>(['search', 'a blue shape', '--db', index.db, '--k', '6', '--adapter', join(root, 'adapter')]);
    expect(body.results.map((r) => r.segment)).toEqual(cli.json.results.map((r) => r.segment));
    body.results.forEach((r, i) => expect(r.score).toBeCloseTo(cli.json.results[i].score, 6));
  });

  it('finds more like an indexed segment, leaving the segment itself out', async () => {
    const seed = `${videos[2].id}:1`;
    const { status, body } = await getJson<SimilarBody>(`${url}/api/segments/${encodeURIComponent(seed)}/similar?k=5`);
    expect(status).toBe(200);
    expect(body.segment).toBe(seed);
    expect(body.results).toHaveLength(5);
    expect(body.results.map((r) => r.segment)).not.toContain(seed);
    expect(body.results.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    const missing = await getJson<{ error: string }>(`${url}/api/segments/nope:0/similar`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toContain('segment nope:0: not in the index');
  });

  it('finds more like an uploaded image: a frame of a video finds that video', async () => {
    const segment = `${videos[5].id}:1`;
    const jpeg = Buffer.from(await (await fetch(`${url}/api/segments/${encodeURIComponent(segment)}/thumbnail`)).arrayBuffer());
    const { status, body } = await getJson<SimilarBody>(`${url}/api/similar/image?k=3`, { method: 'POST', headers: { 'Content-Type': 'image/jpeg' }, body: jpeg });
    expect(status).toBe(200);
    expect(body.segment).toBeNull();
    expect(body.results.map((r) => r.video.id)).toContain(videos[5].id);
  });

  it('refuses uploads that are not images, of another type, or too large', async () => {
    const garbage = await getJson<{ error: string }>(`${url}/api/similar/image`, { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: Buffer.from('not a png at all') });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toContain('the uploaded image: not an image vidlens can read');
    const text = await getJson<{ error: string }>(`${url}/api/similar/image`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
    const big = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer();
    expect(big.length).toBeGreaterThan(200_000);
    const tooLarge = await getJson<{ error: string }>(`${url}/api/similar/image`, { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: big });
    expect(tooLarge.status).toBe(413);
    const bigJson = await getJson<{ error: string }>(`${url}/api/jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ path: 'x'.repeat(100_000) }) });
    expect(bigJson.status).toBe(413);
  });

  it('lists videos and one video’s segments in time order', async () => {
    expect(videos).toHaveLength(8);
    expect(videos.map((v) => v.path)).toEqual([...videos.map((v) => v.path)].sort());
    const lab = (await getJson<VideoListBody>(`${url}/api/videos?domain=lab`)).body.videos;
    expect(lab.map((v) => v.domain)).toEqual(['lab', 'lab', 'lab', 'lab']);
    const { body } = await getJson<VideoBody>(`${url}/api/videos/${videos[0].id}`);
    expect(body.segmentList.map((s) => [s.idx, s.start, s.end])).toEqual([[0, 0, 4], [1, 4, 8], [2, 8, 12]]);
    expect((await getJson(`${url}/api/videos/0123456789abcdef0123`)).status).toBe(404);
  });

  it('serves segment thumbnails as JPEGs', async () => {
    const response = await fetch(`${url}/api/segments/${encodeURIComponent(`${videos[0].id}:2`)}/thumbnail`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBe(128);
    expect((await fetch(`${url}/api/segments/${videos[0].id}:9/thumbnail`)).status).toBe(404);
  });

  it('streams the video with byte ranges', async () => {
    const file = readFileSync(videos[0].path);
    const whole = await fetch(`${url}/api/videos/${videos[0].id}/stream`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await whole.arrayBuffer()).equals(file)).toBe(true);
    const part = await fetch(`${url}/api/videos/${videos[0].id}/stream`, { headers: { Range: 'bytes=100-299' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-299/${file.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(file.subarray(100, 300))).toBe(true);
    const tail = await fetch(`${url}/api/videos/${videos[0].id}/stream`, { headers: { Range: 'bytes=-50' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(file.subarray(file.length - 50))).toBe(true);
    const beyond = await fetch(`${url}/api/videos/${videos[0].id}/stream`, { headers: { Range: `bytes=${file.length + 10}-` } });
    expect(beyond.status).toBe(416);
  });

  it('streams nothing that is not an indexed video: traversal, absolute paths and unknown ids are 404s', async () => {
    for (const path of [
      '/api/videos/../../../../etc/passwd/stream',
      '/api/videos/..%2F..%2F..%2Fetc%2Fpasswd/stream',
      '/api/videos/%2e%2e%2f%2e%2e%2fpackage.json/stream',
      '/api/videos/%2Fetc%2Fpasswd/stream',
      '/api/segments/..%2F..%2Fetc%2Fpasswd/thumbnail',
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/',
      '/api/',
    ]) {
      const { status, body } = await rawGet(url, path);
      expect([400, 403, 404], `${path} → ${status}`).toContain(status);
      expect(body, path).not.toContain('"name": "vidlens"');
      expect(body, path).not.toContain('root:');
    }
  });

  it('publishes a valid OpenAPI document of its routes', async () => {
    const { status, body } = await getJson<OpenAPI.Document & { paths: Record<string, unknown> }>(`${url}/api/openapi.json`);
    expect(status).toBe(200);
    await expect(SwaggerParser.validate(structuredClone(body))).resolves.toBeTruthy();
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/search', '/api/info', '/api/videos/{id}/stream', '/api/segments/{id}/thumbnail', '/api/segments/{id}/similar', '/api/similar/image', '/api/jobs', '/api/jobs/{id}/events', '/api/reports']));
  });

  it('serves the page without any external reference', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/assets/main.js">');
    const script = await (await fetch(`${url}/assets/main.js`)).text();
    for (const text of [html, script]) expect(text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z]/i);
  });
});
