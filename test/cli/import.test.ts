import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../src/core/events.js';
import { runImport } from '../../src/indexing/import.js';
import { Catalog } from '../../src/store/catalog.js';
import { writeNpy } from '../../src/util/npy.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { holdIndexLock } from '../helpers/lock.js';
import { tempDir } from '../helpers/tmp.js';
import { testPattern } from '../helpers/videos.js';

interface Results { results: Array<{ start: number; end: number; score: number; video: { path: string } }> }

describe('vidlens import: segment vectors computed elsewhere', () => {
  const root = tempDir();
  const source = join(root, 'source');
  const model = join(root, 'tiny');
  const video = join(root, 'clip.mp4');
  const segments = join(root, 'segments.jsonl');
  const vectors = join(root, 'vectors.npy');
  const frames = join(root, 'frames.npy');
  let rows = 0;

  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', model])).code).toBe(0);
    await testPattern(video, { seconds: 12 });
    expect((await vidlens(['index', video, '--db', source, '--model', model, '--window', '2', '--domain', 'cam'])).code).toBe(0);
    // What another pipeline would hand over: the vectors, the spans, the frame vectors.
    const catalog = await Catalog.open(source, { create: false });
    const stored = (await catalog.segments.withVectors({}, { frames: true })).sort((a, b) => a.segment.idx - b.segment.idx);
    rows = stored.length;
    const dim = stored[0].vector.length;
    await writeNpy(vectors, { data: Float32Array.from(stored.flatMap((s) => [...s.vector])), rows, cols: dim });
    await writeNpy(frames, { data: Float32Array.from(stored.flatMap((s) => [...s.frameVectors!])), rows, cols: stored[0].frameVectors!.length });
    writeFileSync(segments, stored.map((s) => JSON.stringify({ video: 'clip.mp4', start: s.segment.start, end: s.segment.end, domain: 'cam' })).join('\n'));
  }, 120_000);

  it('gives an index that searches like the one the vectors came from', async () => {
    const db = join(root, 'imported');
    const run = await vidlensJson<{ imported: number; segments: number; skipped: number }>(['import', '--vectors', vectors, '--segments', segments, '--frames', frames, '--db', db, '--model', model]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json).toMatchObject({ imported: 1, segments: rows, skipped: 0 });
    for (const q of ['a test pattern', 'moving colours']) {
      const original = (await vidlensJson<Results>(['search', q, '--db', source, '--k', '4', '--exact'])).json.results;
      const imported = (await vidlensJson<Results>(['search', q, '--db', db, '--k', '4', '--exact'])).json.results;
      expect(imported.map((r) => [r.start, r.end, r.video.path])).toEqual(original.map((r) => [r.start, r.end, r.video.path]));
      imported.forEach((r, i) => expect(r.score).toBeCloseTo(original[i].score, 5));
    }
    const again = await vidlensJson<{ imported: number; skipped: number }>(['import', '--vectors', vectors, '--segments', segments, '--db', db]);
    expect(again.json).toMatchObject({ imported: 0, skipped: 1 });
  });

  it('tells its progress of a wait for the index lock, then imports', async () => {
    const db = join(root, 'locked');
    expect((await runImport({ vectors, segments, db, model })).imported).toBe(1);
    const holder = await holdIndexLock(db);
    const released = new Promise<void>((r) => setTimeout(() => void holder.release().then(r), 2_600));
    const heard: Progress[] = [];
    const summary = await runImport({ vectors, segments, db, onProgress: (p) => heard.push(p) });
    await released;
    expect(summary).toMatchObject({ imported: 0, skipped: 1 });
    expect(heard[0]).toMatchObject({ task: 'waiting for the index lock', unit: 's', item: '.vidlens-lock is held by another vidlens process' });
  });

  it('refuses vectors of another width, naming the file and both widths', async () => {
    const narrow = join(root, 'narrow.npy');
    await writeNpy(narrow, { data: new Float32Array(rows * 64).fill(0.1), rows, cols: 64 });
    const run = await vidlens(['import', '--vectors', narrow, '--segments', segments, '--db', join(root, 'narrow-db'), '--model', model]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--vectors ${narrow}: 64 values per row, but local:tiny embeds in 128`);
  });

  it('refuses missing videos, spans past the end and a row count that does not match, importing nothing', async () => {
    const bad = join(root, 'bad.jsonl');
    const lines = Array.from({ length: rows }, (_, i) => ({ video: 'clip.mp4', start: 2 * i, end: 2 * i + 2 }));
    lines[1] = { video: 'gone.mp4', start: 0, end: 2 };
    lines[2] = { video: 'clip.mp4', start: 10, end: 30 };
    writeFileSync(bad, lines.map((l) => JSON.stringify(l)).join('\n'));
    const db = join(root, 'bad-db');
    const run = await vidlens(['import', '--vectors', vectors, '--segments', bad, '--db', db, '--model', model]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--segments ${bad}: 2 problem(s); nothing was imported`);
    expect(run.stderr).toContain(`${bad}:2: `);
    expect(run.stderr).toContain(`${bad}:3: span 10–30 s ends after`);
    const short = join(root, 'short.jsonl');
    writeFileSync(short, JSON.stringify(lines[0]));
    const mismatch = await vidlens(['import', '--vectors', vectors, '--segments', short, '--db', db, '--model', model]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain(`has ${rows} rows but --segments ${short} has 1 lines`);
  });
});
