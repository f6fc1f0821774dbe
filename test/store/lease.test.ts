import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Progress } from '../../src/core/events.js';
import { WriterLease } from '../../src/store/lease.js';
import { withIndexLock } from '../../src/store/lock.js';
import { holdIndexLock } from '../helpers/lock.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir();

describe('writer leases', () => {
  it("sees another live writer's claims, and voids a dead writer's lease", async () => {
    const dir = join(root, 'db');
    mkdirSync(dir);
    const a = await WriterLease.acquire(dir);
    const b = await WriterLease.acquire(dir);
    await a.claim(['v1', 'v2']);
    expect([...(await b.othersClaims())].sort()).toEqual(['v1', 'v2']);
    expect(await a.othersClaims()).toEqual(new Set());
    await a.releaseClaims();
    expect(await b.othersClaims()).toEqual(new Set());
    await a.release();
    await b.release();
    expect(readdirSync(join(dir, '.vidlens-runs'))).toEqual([]);
  });

  it('treats the lease of a killed process as void and removes it', async () => {
    const dir = join(root, 'db-killed');
    mkdirSync(dir);
    const script = `import('${join(import.meta.dirname, '..', '..', 'dist', 'store', 'lease.js')}').then(async (m) => {
      const lease = await m.WriterLease.acquire(${JSON.stringify(dir)}); await lease.claim(['x']); console.log('ready'); setInterval(() => {}, 1000); })`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const me = await WriterLease.acquire(dir);
    expect(await me.othersClaims()).toEqual(new Set(['x']));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));
    expect(await me.othersClaims()).toEqual(new Set());
    expect(readdirSync(join(dir, '.vidlens-runs'))).toEqual([`${me.run}.json`]);
    await me.release();
  });

  it('runs critical sections one at a time', async () => {
    const dir = join(root, 'db-lock');
    mkdirSync(dir);
    const order: string[] = [];
    const section = (name: string) =>
      withIndexLock(dir, async () => {
        order.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 50));
        order.push(`${name}-`);
      });
    await Promise.all([section('a'), section('b'), section('c')]);
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i].replace('+', '-'));
  });

  it('waits for a live holder up to its limit, then names the lock and the wait', async () => {
    const dir = join(root, 'db-held');
    mkdirSync(dir);
    const holder = await holdIndexLock(dir);
    const started = performance.now();
    await expect(withIndexLock(dir, async () => 'never', { waitMs: 400 })).rejects.toThrow(/held the lock \.vidlens-lock for the 0\.\d s this one waited and is still running/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    const heard: Progress[] = [];
    const waiter = withIndexLock(dir, async () => 'got it', { waitMs: 60_000, onProgress: (p) => heard.push(p) });
    const released = new Promise<void>((r) => setTimeout(() => void holder.release().then(r), 2_600));
    expect(await waiter).toBe('got it');
    await released;
    // Told once the wait passed 2 s, with the lock's name.
    expect(heard.length).toBeGreaterThanOrEqual(1);
    expect(heard[0]).toMatchObject({ task: 'waiting for the index lock', done: 2, total: 60, unit: 's', item: '.vidlens-lock is held by another vidlens process' });
  });

  it('reports a folder it cannot lock at once instead of waiting', async () => {
    const missing = join(root, 'no-such-folder');
    const started = performance.now();
    await expect(withIndexLock(missing, async () => 'never')).rejects.toThrow(/no-such-folder: cannot take the lock \.vidlens-lock: ENOENT/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
