import { mkdirSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vidlens } from '../helpers/cli.js';
import { testPattern } from '../helpers/videos.js';
import { writable } from '../helpers/permissions.js';
import { tempDir } from '../helpers/tmp.js';

describe('a read-only index', () => {
  const root = tempDir();
  const db = join(root, 'db');
  const model = join(root, 'tiny');
  const folder = join(root, 'footage');
  const locked = join(root, 'locked');

  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', model])).code).toBe(0);
    mkdirSync(folder);
    await testPattern(join(folder, 'a.mp4'), { seconds: 8 });
    expect((await vidlens(['index', folder, '--db', db, '--model', model])).code).toBe(0);
    // New file times on the model: the next open re-hashes the weights and would record the new stamps.
    const later = new Date(Date.now() + 60_000);
    for (const name of readdirSync(join(model, 'onnx'))) utimesSync(join(model, 'onnx', name), later, later);
    mkdirSync(locked);
    writable(db, false);
    writable(locked, false);
  }, 120_000);
  afterAll(() => {
    writable(db, true);
    writable(locked, true);
  });

  it('stays searchable after the model files changed their times, and is left as it was', async () => {
    const manifest = readFileSync(join(db, 'vidlens-manifest.json'), 'utf8');
    const r = await vidlens(['search', 'a test pattern', '--db', db, '--k', '2', '--json'], { unprivileged: true });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { results: unknown[] }).results).toHaveLength(2);
    expect(readFileSync(join(db, 'vidlens-manifest.json'), 'utf8')).toBe(manifest);
  });

  it('refuses indexing into it, or into a folder it cannot create, before decoding anything, naming --db', async () => {
    const into = await vidlens(['index', folder, '--db', db], { unprivileged: true });
    expect(into.code).toBe(2);
    expect(into.stderr).toMatch(new RegExp(`--db ${db}: the index folder is not writable \\(EACCES\\)`));
    expect(into.stderr).not.toMatch(/decoding|embedding|lance|\.rs/i);
    const fresh = join(locked, 'db');
    const create = await vidlens(['index', folder, '--db', fresh, '--model', model], { unprivileged: true });
    expect(create.code).toBe(2);
    expect(create.stderr).toMatch(new RegExp(`--db ${fresh}: cannot create the index in ${locked} \\(EACCES\\)`));
    expect(readdirSync(locked)).toEqual([]);
  });
});
