import { cpSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { vidlens } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { testPattern } from '../helpers/videos.js';

/** Every `vidlens` error here must name the damage in words, never LanceDB's Rust source paths. */
function expectClear(result: { code: number | null; stderr: string }, words: string): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toContain(words);
  expect(result.stderr).toContain("move it away and run 'vidlens index' again");
  expect(result.stderr).not.toMatch(/\.rs:\d+/);
  expect(result.stderr).not.toContain('unexpected error');
}

describe('a damaged index', () => {
  const root = tempDir();
  const pristine = join(root, 'pristine');
  const copy = (name: string) => {
    const db = join(root, name);
    cpSync(pristine, db, { recursive: true });
    return db;
  };

  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', join(root, 'tiny')])).code).toBe(0);
    await testPattern(join(root, 'a.mp4'), { seconds: 40 });
    expect((await vidlens(['index', join(root, 'a.mp4'), '--db', pristine, '--model', join(root, 'tiny'), '--window', '1'])).code).toBe(0);
  }, 120_000);

  it('without the segments table’s version history: named, with what to do', async () => {
    const db = copy('no-versions');
    rmSync(join(db, 'segments.lance', '_versions'), { recursive: true });
    for (const args of [['info'], ['search', 'a pattern']]) expectClear(await vidlens([...args, '--db', db]), 'the segments table is damaged');
  });

  it('without the segments table at all: missing, not "run vidlens index first"', async () => {
    const db = copy('no-table');
    rmSync(join(db, 'segments.lance'), { recursive: true });
    const search = await vidlens(['search', 'a pattern', '--db', db]);
    expectClear(search, 'the segments table is missing though the index\'s manifest is there: the index is damaged');
    expect(search.stderr).not.toContain("run 'vidlens index' first");
  });

  it('with a truncated data file: search and info say the index could not be read', async () => {
    const db = copy('truncated');
    const data = join(db, 'segments.lance', 'data');
    const file = readdirSync(data).map((f) => join(data, f)).sort((a, b) => statSync(b).size - statSync(a).size)[0];
    truncateSync(file, Math.floor(statSync(file).size / 3));
    expectClear(await vidlens(['search', 'a pattern', '--db', db, '--exact']), 'the index could not be read');
    // info reads every segment's video id, so it reports the damage rather than normal counts.
    const info = await vidlens(['info', '--db', db, '--json']);
    expectClear(info, 'the index could not be read');
    expect(info.stdout).toBe('');
  });
});
