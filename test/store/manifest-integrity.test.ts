import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { testPattern } from '../helpers/videos.js';

const root = tempDir();
const db = join(root, 'db');
const other = join(root, 'db-other');
const manifest = join(db, 'vidlens-manifest.json');

describe('the index manifest and the tables agree, or vidlens refuses', () => {
  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', join(root, 'a')])).code).toBe(0);
    expect((await vidlens(['model', 'tiny', join(root, 'b'), '--dim', '64', '--seed', '5'])).code).toBe(0);
    await testPattern(join(root, 'v.mp4'), { seconds: 8 });
    await testPattern(join(root, 'w.mp4'), { seconds: 5, width: 96 });
    expect((await vidlens(['index', join(root, 'v.mp4'), '--db', db, '--model', join(root, 'a')])).code).toBe(0);
    expect((await vidlens(['index', join(root, 'w.mp4'), '--db', other, '--model', join(root, 'b')])).code).toBe(0);
  });

  it('a lost manifest is detected (never re-initialised over the tables with another model) and rebuilt by repair', async () => {
    const before = (await vidlensJson<{ model: { sha256: string }; segments: number }>(['info', '--db', db])).json;
    rmSync(manifest);
    const mixed = await vidlens(['index', join(root, 'w.mp4'), '--db', db, '--model', join(root, 'b')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/--db .*db: vidlens-manifest\.json is missing, but the folder holds an index's tables \(built with local:a, sha256 [0-9a-f]{12}…, dim 128\); rebuild the manifest from them with 'vidlens repair --db /);
    const search = await vidlens(['search', 'x', '--db', db]);
    expect(search.code).toBe(2);
    expect(search.stderr).toMatch(/vidlens-manifest\.json is missing/);

    const repaired = await vidlensJson<{ repaired: boolean; model: { sha256: string } }>(['repair', '--db', db]);
    expect(repaired.code).toBe(0);
    expect(repaired.json.model.sha256).toBe(before.model.sha256);
    const after = await vidlensJson<{ model: { sha256: string }; segments: number }>(['info', '--db', db]);
    expect(after.json).toMatchObject({ model: { sha256: before.model.sha256 }, segments: before.segments });
    expect((await vidlens(['search', 'x', '--db', db])).code).toBe(0);
  });

  it('names a manifest that is not JSON', async () => {
    const good = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, '{oops');
    const r = await vidlens(['search', 'x', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/vidlens-manifest\.json: the index manifest is not JSON \(damaged\?\); restore it from a backup, or rebuild it with 'vidlens repair/);
    writeFileSync(manifest, good);
  });

  it("refuses a manifest copied from another index", async () => {
    const good = readFileSync(manifest, 'utf8');
    copyFileSync(join(other, 'vidlens-manifest.json'), manifest);
    const r = await vidlens(['search', 'x', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the manifest names local:b .*, but the tables were built with local:a/);
    writeFileSync(manifest, good);
  });
});
