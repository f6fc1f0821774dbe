import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/store/catalog.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { testPattern } from '../helpers/videos.js';

const root = tempDir();
const db = join(root, 'db');

interface SearchJson {
  results: Array<{ video: { id: string }; start: number }>;
}

describe('segments of videos that are not (yet) indexed', () => {
  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', join(root, 'tiny')])).code).toBe(0);
    await testPattern(join(root, 'long.mp4'), { seconds: 60 });
    for (const dir of ['cam1', 'cam2']) {
      mkdirSync(join(root, 'more', dir), { recursive: true });
      await testPattern(join(root, 'more', dir, 'clip.mp4'), { seconds: dir === 'cam1' ? 2 : 3 });
    }
    expect((await vidlens(['index', join(root, 'long.mp4'), '--db', db, '--model', join(root, 'tiny')])).code).toBe(0);
    // 30 orphan segments (an interrupted run's leftovers) that match every query better than any real one.
    const catalog = await Catalog.open(db, { create: false });
    const real = await catalog.segments.withVectors({}, { frames: true });
    const query = (await vidlensJson<SearchJson>(['search', 'a test pattern', '--db', db, '--k', '1'])).json.results[0];
    const best = real.find((r) => r.segment.video_id === query.video.id && r.segment.start === query.start)!;
    await catalog.segments.add(
      Array.from({ length: 30 }, (_, i) => ({
        ...best.segment, id: `ghost:${i}`, video_id: 'ghost', idx: i, vector: best.vector, frame_vectors: best.frameVectors!, frame_times: new Float32Array(8),
      })),
    );
  });

  it('never take a place in the top k: search still returns k results of indexed videos', async () => {
    const { code, json } = await vidlensJson<SearchJson>(['search', 'a test pattern', '--db', db, '--k', '10']);
    expect(code).toBe(0);
    expect(json.results).toHaveLength(10);
    for (const r of json.results) expect(r.video.id).not.toBe('ghost');
  });

  it('are not counted by info', async () => {
    const { json } = await vidlensJson<{ videos: number; segments: number }>(['info', '--db', db]);
    expect(json).toMatchObject({ videos: 1, segments: 15 });
  });
});

describe('search filters', () => {
  it('refuses a --video that matches several indexed videos, naming them', async () => {
    expect((await vidlens(['index', join(root, 'more'), '--db', db])).code).toBe(0);
    const r = await vidlens(['search', 'x', '--db', db, '--video', 'clip.mp4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--video clip\.mp4: matches 2 indexed videos \(.*cam[12]\/clip\.mp4, .*cam[12]\/clip\.mp4\); give a longer path or the id/);
    const one = await vidlensJson<SearchJson>(['search', 'x', '--db', db, '--video', 'cam2/clip.mp4']);
    expect(one.code).toBe(0);
    expect(one.json.results).toHaveLength(1);
  });
});
