import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { ffmpeg, testPattern } from '../helpers/videos.js';
import { tempDir } from '../helpers/tmp.js';

interface IndexJson { indexed: number; skipped: number; warnings: string[]; segments: number }
interface SearchJson { results: Array<{ video: { path: string }; missing?: true }> }

describe('videos deleted from disk', () => {
  const root = tempDir();
  const db = join(root, 'db');
  const folder = join(root, 'footage');
  const keep = join(folder, 'keep.mp4');
  const gone = join(folder, 'gone.mp4');

  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', join(root, 'tiny')])).code).toBe(0);
    mkdirSync(folder);
    await testPattern(keep, { seconds: 8 });
    await testPattern(gone, { seconds: 12, pattern: 'testsrc2' });
    expect((await vidlens(['index', folder, '--db', db, '--model', join(root, 'tiny')])).code).toBe(0);
    unlinkSync(gone);
  }, 120_000);

  it('index names them and how to prune them', async () => {
    const { code, json } = await vidlensJson<IndexJson>(['index', folder, '--db', db]);
    expect(code).toBe(0);
    expect(json.warnings.join('\n')).toContain(`1 indexed video(s) are no longer on disk (${gone})`);
    expect(json.warnings.join('\n')).toContain(`vidlens prune --db ${db}`);
  });

  it('search marks their results as missing, and info counts them', async () => {
    const { json } = await vidlensJson<SearchJson>(['search', 'a pattern', '--db', db, '--k', '5']);
    const fromGone = json.results.filter((r) => r.video.path === gone);
    expect(fromGone.length).toBeGreaterThan(0);
    expect(fromGone.every((r) => r.missing === true)).toBe(true);
    expect(json.results.filter((r) => r.video.path === keep).every((r) => r.missing === undefined)).toBe(true);
    const text = await vidlens(['search', 'a pattern', '--db', db, '--k', '5']);
    expect(text.stdout.split('\n').filter((l) => l.includes(gone)).every((l) => l.endsWith('(file missing)'))).toBe(true);
    expect((await vidlensJson<{ missing: number; videos: number }>(['info', '--db', db])).json).toMatchObject({ videos: 2, missing: 1 });
  });

  it('prune --dry-run lists them; prune removes them and their segments', async () => {
    const dry = await vidlensJson<{ gone: Array<{ path: string }>; removed: unknown[] }>(['prune', '--db', db, '--dry-run']);
    expect(dry.json.gone.map((v) => v.path)).toEqual([gone]);
    expect(dry.json.removed).toEqual([]);
    expect((await vidlensJson<{ videos: number }>(['info', '--db', db])).json.videos).toBe(2);
    const real = await vidlens(['prune', '--db', db]);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain(`removed ${gone} (3 segment(s))`);
    expect((await vidlensJson<{ videos: number; segments: number; missing: number }>(['info', '--db', db])).json).toMatchObject({ videos: 1, segments: 2, missing: 0 });
    const { json } = await vidlensJson<SearchJson>(['search', 'a pattern', '--db', db, '--k', '10']);
    expect(json.results.map((r) => r.video.path)).toEqual([keep, keep]);
    expect((await vidlens(['prune', '--db', db])).stdout).toContain('nothing to prune');
  });
});

describe('an edit that keeps the size and both ends of the file', () => {
  const root = tempDir();
  const db = join(root, 'db');
  const video = join(root, 'raw.avi');

  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', join(root, 'tiny')])).code).toBe(0);
    // Uncompressed frames: bytes written in the middle change the pixels of a few frames and nothing else.
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=duration=12:size=160x120:rate=10', '-c:v', 'rawvideo', '-pix_fmt', 'bgr24', video]);
    expect((await vidlens(['index', video, '--db', db, '--model', join(root, 'tiny')])).code).toBe(0);
  }, 120_000);

  it('is re-embedded, replacing the old segments (the video id alone cannot see it)', async () => {
    const before = await vidlensJson<{ results: Array<{ score: number; start: number }> }>(['search', 'a pattern', '--db', db, '--k', '3']);
    const size = statSync(video).size;
    const fd = openSync(video, 'r+');
    writeSync(fd, Buffer.alloc(400_000, 0xff), 0, 400_000, Math.floor(size / 2) - 200_000);
    closeSync(fd);
    const later = new Date(Date.now() + 5000);
    utimesSync(video, later, later);
    expect(statSync(video).size).toBe(size);
    const again = await vidlensJson<IndexJson>(['index', video, '--db', db]);
    expect(again.json).toMatchObject({ indexed: 1, skipped: 0, segments: 3 });
    expect((await vidlensJson<{ videos: number; segments: number }>(['info', '--db', db])).json).toMatchObject({ videos: 1, segments: 3 });
    const after = await vidlensJson<{ results: Array<{ score: number; start: number }> }>(['search', 'a pattern', '--db', db, '--k', '3']);
    expect(after.json.results.map((r) => r.score)).not.toEqual(before.json.results.map((r) => r.score));
    expect(readFileSync(video).subarray(0, 4).toString()).toBe('RIFF');
    const unchanged = await vidlensJson<IndexJson>(['index', video, '--db', db]);
    expect(unchanged.json).toMatchObject({ indexed: 0, skipped: 1 });
  });
});
