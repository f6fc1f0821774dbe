import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/store/catalog.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { SHARED_VIDEOS, tempDir } from '../helpers/tmp.js';

const root = tempDir();
const model = join(root, 'tiny');

interface IndexJson {
  indexed: number;
  skipped: number;
  failed: unknown[];
  segments: number;
}

/** `count` videos of 3 segments each with distinct content ids (a different trailing byte each). */
function videoSet(name: string, count: number, salt: number): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const source = readFileSync(join(SHARED_VIDEOS, 'mmaction2__tests_data_test.mp4'));
  for (let i = 0; i < count; i++) writeFileSync(join(dir, `v${i}.mp4`), Buffer.concat([source, Buffer.from([salt, i])]));
  return dir;
}

/** The whole store agrees with itself: every video row has exactly its segments, no orphans, no duplicates. */
async function expectConsistent(db: string, videos: number) {
  const catalog = await Catalog.open(db, { create: false });
  const rows = await catalog.videos.all();
  expect(rows).toHaveLength(videos);
  const segments = await catalog.segments.withVectors();
  const ids = segments.map((s) => s.segment.id);
  expect(new Set(ids).size).toBe(ids.length);
  const perVideo = new Map<string, number>();
  for (const s of segments) perVideo.set(s.segment.video_id, (perVideo.get(s.segment.video_id) ?? 0) + 1);
  for (const row of rows) expect(perVideo.get(row.id), row.path).toBe(row.segments);
  expect(perVideo.size).toBe(rows.length);
  expect(await catalog.counts()).toEqual({ videos, segments: videos * 3 });
}

describe('several index processes on one --db', () => {
  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', model, '--seed', '3'])).code).toBe(0);
  });

  it('three first runs on a fresh index end with every video whole, once', async () => {
    const set = videoSet('fresh-set', 6, 1);
    const db = join(root, 'fresh-db');
    const runs = await Promise.all(
      [1, 2, 3].map(() => vidlensJson<IndexJson>(['index', set, '--db', db, '--model', model, '--commit-every', '1', '--batch-size', '2'])),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    // Each video is embedded by exactly one of the runs; the others skip it.
    expect(runs.reduce((sum, r) => sum + r.json.indexed, 0)).toBe(6);
    for (const run of runs) expect(run.json.indexed + run.json.skipped).toBe(6);
    await expectConsistent(db, 6);
  });

  it('two runs adding to an existing index keep what was there and add everything new', async () => {
    const db = join(root, 'existing-db');
    const first = videoSet('first-set', 2, 2);
    expect((await vidlens(['index', first, '--db', db, '--model', model])).code).toBe(0);
    const more = videoSet('more-set', 6, 3);
    copyFileSync(join(first, 'v0.mp4'), join(more, 'again.mp4'));
    const runs = await Promise.all(
      [1, 2].map(() => vidlensJson<IndexJson>(['index', more, '--db', db, '--commit-every', '2', '--batch-size', '3'])),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect(runs.reduce((sum, r) => sum + r.json.indexed, 0)).toBe(6);
    await expectConsistent(db, 8);
  });
});
