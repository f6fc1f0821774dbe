import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, vidlens, vidlensJson } from '../helpers/cli.js';
import { servedIndex, type ServedIndex } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

/** Starts `vidlens serve` as a user would and waits for the line with its address. */
function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const url = /at (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve({ child, url, stderr: () => stderr });
    });
    child.on('close', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
}

/** A port nothing listens on (bound once, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function stop(served: Served): Promise<number | null> {
  return new Promise((resolve) => {
    served.child.on('close', resolve);
    served.child.kill('SIGTERM');
  });
}

describe('vidlens serve and search --server', () => {
  const root = tempDir();
  let index: ServedIndex;
  let served: Served;

  beforeAll(async () => {
    index = await servedIndex(root);
    served = await serve(['--db', index.db, '--port', '0']);
  }, 240_000);
  afterAll(async () => {
    if (served.child.exitCode === null) await stop(served);
  });

  it('listens on loopback without a token by default', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${served.url}/api/info`)).status).toBe(200);
  });

  it('search --server prints what a local search prints', async () => {
    const args = ['search', 'a green shape', '--k', '5', '--domain', 'lab'];
    type Results = { results: Array<{ score: number }> };
    const local = await vidlensJson<Results>([...args, '--db', index.db]);
    const remote = await vidlensJson<Results>([...args, '--server', served.url]);
    expect(remote.code).toBe(0);
    expect(local.json.results).toHaveLength(5);
    // The server scores in memory (ONNX Runtime), the CLI on disk (LanceDB): equal to float32 rounding.
    const withoutScores = (r: Results) => ({ ...r, results: r.results.map(({ score: _score, ...rest }) => rest) });
    expect(withoutScores(remote.json)).toEqual(withoutScores(local.json));
    remote.json.results.forEach((r, i) => expect(r.score).toBeCloseTo(local.json.results[i].score, 6));
    const scoreless = (stdout: string) => stdout.replace(/ \d\.\d{5} /g, ' SCORE ');
    const text = await vidlens([...args, '--server', served.url]);
    expect(scoreless(text.stdout)).toBe(scoreless((await vidlens([...args, '--db', index.db])).stdout));
    expect(text.stdout.split('\n').filter(Boolean)).toHaveLength(5);
  });

  it('search --server names the server and the reason when it fails', async () => {
    const bad = await vidlens(['search', 'x', '--server', served.url, '--domain', 'kitchen']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`--server ${served.url}: --domain kitchen: no indexed video has this domain`);
    const closed = `http://127.0.0.1:${await freePort()}`;
    const gone = await vidlens(['search', 'x', '--server', closed]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`--server ${closed}: cannot reach it (ECONNREFUSED); is 'vidlens serve' running there?`);
    const notUrl = await vidlens(['search', 'x', '--server', 'nowhere']);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('--server nowhere: not a URL');
  });

  it('beyond loopback, makes a token file (mode 0600) and requires the token', async () => {
    const tokenFile = join(root, 'conf', 'serve-token');
    const open = await serve(['--db', index.db, '--host', '0.0.0.0', '--port', '0'], { VIDLENS_TOKEN_FILE: tokenFile });
    try {
      expect(open.stderr()).toContain(`made a new token in ${tokenFile} (mode 0600)`);
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      const url = open.url.replace('0.0.0.0', '127.0.0.1');
      expect((await fetch(`${url}/api/info`)).status).toBe(401);
      const denied = await vidlens(['search', 'x', '--server', url]);
      expect(denied.code).toBe(2);
      expect(denied.stderr).toContain('the server needs its token');
      const allowed = await vidlensJson(['search', 'x', '--server', url, '--token-file', tokenFile]);
      expect(allowed.code).toBe(0);
      const byEnv = await vidlens(['search', 'x', '--server', url, '--json'], { env: { VIDLENS_TOKEN: readFileSync(tokenFile, 'utf8').trim() } });
      expect(byEnv.code).toBe(0);
    } finally {
      expect(await stop(open)).toBe(0);
    }
  });

  it('refuses a missing index and a port in use with exit 2 and the reason', async () => {
    const missing = await vidlens(['serve', '--db', join(root, 'none'), '--port', '0']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--db ${join(root, 'none')}: no index here`);
    const port = new URL(served.url).port;
    const busy = await vidlens(['serve', '--db', index.db, '--port', port]);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain(`--host 127.0.0.1 --port ${port}: cannot listen (the port is in use)`);
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await stop(served)).toBe(0);
  });
});
