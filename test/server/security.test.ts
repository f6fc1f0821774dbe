import { mkdirSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureLimiter, isLoopback, loadOrCreateToken, tokenMatches } from '../../src/server/auth.js';
import type { VideoListBody } from '../../src/server/schemas.js';
import { getJson, servedIndex, startServer, type ServedIndex } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

describe('server tokens', () => {
  const root = tempDir();

  it('makes a token file with mode 0600 on first use and reads the same token after', async () => {
    const file = join(root, 'conf', 'token');
    const first = await loadOrCreateToken(file);
    expect(first.created).toBe(true);
    expect(first.token).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateToken(file);
    expect(again).toEqual({ token: first.token, created: false });
  });

  it('refuses a token file with a token too short to be safe', async () => {
    const file = join(root, 'short');
    writeFileSync(file, 'abc\n');
    await expect(loadOrCreateToken(file)).rejects.toThrow(`--token-file ${file}: holds 3 characters; a token needs at least 16`);
  });

  it('compares tokens exactly', () => {
    expect(tokenMatches('a'.repeat(32), 'a'.repeat(32))).toBe(true);
    expect(tokenMatches('a'.repeat(32), 'a'.repeat(31))).toBe(false);
    expect(tokenMatches('a'.repeat(32), undefined)).toBe(false);
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.4', '10.0.0.1'].some(isLoopback)).toBe(false);
  });

  it('counts failures per address in a sliding window', () => {
    const limiter = new FailureLimiter(3, 1000);
    for (let i = 0; i < 3; i++) limiter.fail('a', 100 * i);
    expect(limiter.retryAfter('a', 250)).toBe(1);
    expect(limiter.retryAfter('b', 250)).toBe(0);
    expect(limiter.retryAfter('a', 1001)).toBe(0);
  });
});

describe('a server with a token', () => {
  const root = tempDir();
  const token = 'f'.repeat(48);
  let index: ServedIndex;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    index = await servedIndex(root);
    ({ url, close } = await startServer({ db: index.db, token }));
  }, 240_000);
  afterAll(() => close?.());

  const bearer = { Authorization: `Bearer ${token}` };

  it('answers every API request without the token with 401, and with it as usual', async () => {
    for (const path of ['/api/info', '/api/search?q=red', '/api/videos', '/api/openapi.json', '/api/jobs', '/api/reports']) {
      const denied = await fetch(`${url}${path}`, { headers: { 'X-Forwarded-For': '10.9.9.9' } });
      expect(denied.status, path).toBe(401);
      expect(denied.headers.get('www-authenticate')).toBe('Bearer');
      expect(((await denied.json()) as { error: string }).error).toContain('a token is required');
      expect((await fetch(`${url}${path}`, { headers: bearer })).status, path).toBe(200);
    }
    expect((await fetch(`${url}/api/info`, { headers: { Authorization: `Bearer ${'e'.repeat(48)}` } })).status).toBe(401);
  });

  it('serves the page shell without a token (it holds no data)', async () => {
    expect((await fetch(`${url}/`)).status).toBe(200);
    expect((await fetch(`${url}/assets/main.js`)).status).toBe(200);
  });

  it('lets the page’s media elements in with the cookie it sets after a bearer check', async () => {
    const login = await fetch(`${url}/api/session`, { method: 'POST', headers: bearer });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^vidlens_token=f{48}; HttpOnly; SameSite=Strict; Path=\//);
    const { body } = await getJson<VideoListBody>(`${url}/api/videos`, { headers: bearer });
    const thumbnail = await fetch(`${url}/api/segments/${encodeURIComponent(`${body.videos[0].id}:0`)}/thumbnail`, { headers: { Cookie: cookie.split(';')[0] } });
    expect(thumbnail.status).toBe(200);
    expect((await fetch(`${url}/api/session`, { method: 'POST' })).status).toBe(401);
  });

  it('stops streaming an indexed path once the file there is no longer the one indexed', async () => {
    const { body } = await getJson<VideoListBody>(`${url}/api/videos`, { headers: bearer });
    const victim = body.videos[1];
    const keep = join(root, 'kept.mp4');
    copyFileSync(victim.path, keep);
    const secret = join(root, 'secret.txt');
    writeFileSync(secret, 'root:x:0:0\n');
    unlinkSync(victim.path);
    symlinkSync(secret, victim.path);
    try {
      const response = await fetch(`${url}/api/videos/${victim.id}/stream`, { headers: bearer });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('root:');
    } finally {
      unlinkSync(victim.path);
      copyFileSync(keep, victim.path);
    }
    expect((await fetch(`${url}/api/videos/${victim.id}/stream`, { headers: bearer })).status).toBe(200);
  });

  it('refuses an address after repeated failures, even with the right token, until the window clears', async () => {
    // A fresh server, so the earlier tests' failures do not count.
    const fresh = await startServer({ db: index.db, token });
    try {
      for (let i = 0; i < 10; i++) expect((await fetch(`${fresh.url}/api/info`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
      const limited = await fetch(`${fresh.url}/api/info`, { headers: bearer });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  });
});

describe('index jobs are confined to their roots', () => {
  const root = tempDir();
  let url: string;
  let close: () => Promise<void>;
  let jobRoot: string;

  beforeAll(async () => {
    const index = await servedIndex(root);
    jobRoot = join(root, 'footage');
    mkdirSync(join(jobRoot, 'inside'), { recursive: true });
    // A link inside the root to a folder outside it: real paths decide.
    symlinkSync(join(index.synth, 'videos'), join(jobRoot, 'escape'));
    ({ url, close } = await startServer({ db: index.db, jobRoots: [jobRoot] }));
  }, 240_000);
  afterAll(() => close?.());

  const start = (path: string) => getJson<{ error: string }>(`${url}/api/jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ path }) });

  it('refuses folders outside the roots, by path, by `..` and through a link', async () => {
    for (const path of ['/etc', join(jobRoot, '..'), join(jobRoot, 'escape'), join(jobRoot, 'escape', 'lab')]) {
      const { status, body } = await start(path);
      expect(status, path).toBe(400);
      expect(body.error).toContain('not inside an index-job root');
    }
    const missing = await start(join(jobRoot, 'nope'));
    expect(missing.status).toBe(400);
    expect(missing.body.error).toContain('no such file or folder');
    expect(readFileSync(join(root, 'db', 'vidlens-manifest.json'), 'utf8')).toContain('"model"');
  });
});
