import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { testPattern } from '../helpers/videos.js';

const root = tempDir();
const model = join(root, 'tiny');

interface IndexJson {
  indexed: number;
  skipped: number;
  ignored: number;
  failed: Array<{ path: string; error: string }>;
  warnings: string[];
}

describe('what index is given', () => {
  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', model])).code).toBe(0);
    mkdirSync(join(root, 'footage', 'cam'), { recursive: true });
    await testPattern(join(root, 'footage', 'cam', 'a.mp4'), { seconds: 2 });
    await testPattern(join(root, 'footage', 'b.mp4'), { seconds: 3 });
  });

  it('follows symlinked files and folders, once each, through a link loop', async () => {
    const links = join(root, 'links');
    mkdirSync(links);
    symlinkSync(join(root, 'footage', 'b.mp4'), join(links, 'b-link.mp4'));
    symlinkSync(join(root, 'footage', 'cam'), join(links, 'cam-link'));
    symlinkSync(links, join(links, 'loop'));
    symlinkSync(join(root, 'nowhere.mp4'), join(links, 'dangling.mp4'));
    const { code, json } = await vidlensJson<IndexJson>(['index', links, '--db', join(root, 'db-links'), '--model', model]);
    expect(code).toBe(0);
    expect(json.indexed).toBe(2);
    expect(json.ignored).toBe(1);
  });

  it('refuses inputs that do not exist before making an index folder, naming them', async () => {
    const db = join(root, 'db-missing');
    const r = await vidlens(['index', join(root, 'nonexistent'), '--db', db, '--model', model]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nonexistent: no such file or folder/);
    expect(existsSync(db)).toBe(false);
  });

  it('warns when the folders given hold no video files', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.txt'), 'x');
    const { code, json, stderr } = await vidlensJson<IndexJson>(['index', empty, '--db', join(root, 'db-empty'), '--model', model]);
    expect(code).toBe(0);
    expect(json.warnings).toEqual([`no video files found in ${empty} (1 other file(s) ignored)`]);
    expect(stderr).toMatch(/warning: no video files found/);
  });

  it('warns when --stride leaves gaps between windows', async () => {
    const { code, json } = await vidlensJson<IndexJson>(['index', join(root, 'footage', 'b.mp4'), '--db', join(root, 'db-gaps'), '--model', model, '--window', '1', '--stride', '2']);
    expect(code).toBe(0);
    expect(json.warnings).toEqual(['--stride 2 is longer than --window 1: 1.000 s between windows are never sampled']);
  });
});
