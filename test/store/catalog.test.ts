import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/store/catalog.js';
import { StoreError } from '../../src/store/errors.js';
import { withIndexLock } from '../../src/store/lock.js';
import type { IndexManifest } from '../../src/store/manifest.js';
import type { SegmentRow, VideoRow } from '../../src/store/schema.js';
import { SegmentWriter } from '../../src/store/writer.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const dim = 4;
const frames = 2;

const manifest: IndexManifest = {
  vidlens: '0.0.0-test',
  created: new Date(0).toISOString(),
  model: { id: 'test', source: '/nowhere', sha256: 'a'.repeat(64), dim, family: 'clip', frame: { size: 8, crop: true } },
  weights: [],
  sampling: { window: 4, stride: 4, frames },
  tta: 'none',
  ann: null,
};

function unit(...values: number[]): Float32Array {
  const v = Float32Array.from(values);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function segment(videoId: string, idx: number, vector: Float32Array, domain = 'lab'): SegmentRow {
  return {
    id: `${videoId}:${idx}`, video_id: videoId, idx, start: idx * 4, end: idx * 4 + 4, domain, model: 'test', vector,
    frame_vectors: new Float32Array(dim * frames).fill(0.5), frame_times: Float32Array.from([idx * 4 + 1, idx * 4 + 3]),
  };
}

function video(id: string, domain = 'lab'): VideoRow {
  return {
    id, path: `/videos/${id}.mp4`, size: 1, mtime: 0, duration: 8, fps: 10, width: 64, height: 64, rotation: 0,
    codec: 'h264', domain, segments: 2, indexed_at: new Date(0).toISOString(),
  };
}

describe('Catalog (LanceDB on disk)', () => {
  it('refuses a folder that is a file, and a folder without an index when not creating, with a typed store error naming it', async () => {
    const file = join(dir, 'file-db');
    writeFileSync(file, 'x');
    await expect(Catalog.open(file, { create: true })).rejects.toThrow(/^\/.*file-db: exists and is not a directory$/);
    await expect(Catalog.open(file, { create: true })).rejects.toMatchObject({ dir: file, kind: 'usage' });
    await expect(Catalog.open(join(dir, 'absent'), { create: false })).rejects.toBeInstanceOf(StoreError);
  });

  it('stores segments and finds nearest ones by cosine, with domain and video filters', async () => {
    const catalog = await Catalog.open(join(dir, 'db1'), { create: true });
    await catalog.initialise(manifest);
    const writer = new SegmentWriter(catalog, 2);
    await writer.add(segment('v1', 0, unit(1, 0, 0, 0)));
    await writer.add(segment('v1', 1, unit(0, 1, 0, 0)));
    writer.complete(video('v1'));
    await writer.add(segment('v2', 0, unit(1, 1, 0, 0), 'night'));
    writer.complete(video('v2', 'night'));
    await writer.flush();

    expect(await catalog.counts()).toEqual({ videos: 2, segments: 3 });
    const hits = await catalog.segments.search(unit(1, 0, 0, 0), 3);
    expect(hits.map((h) => h.segment.id)).toEqual(['v1:0', 'v2:0', 'v1:1']);
    expect(hits[0].score).toBeCloseTo(1, 5);
    expect(hits[1].score).toBeCloseTo(Math.SQRT1_2, 5);
    expect((await catalog.segments.search(unit(1, 0, 0, 0), 3, { domain: 'night' })).map((h) => h.segment.id)).toEqual(['v2:0']);
    expect((await catalog.segments.search(unit(1, 0, 0, 0), 3, { videoId: 'v1' })).map((h) => h.segment.id)).toEqual(['v1:0', 'v1:1']);
  });

  it('keeps the manifest across reopenings', async () => {
    const catalog = await Catalog.open(join(dir, 'db1'), { create: false });
    expect(catalog.manifest).toEqual(manifest);
  });

  it('removes segments whose video row was never written (an interrupted run)', async () => {
    const catalog = await Catalog.open(join(dir, 'db2'), { create: true });
    await catalog.initialise(manifest);
    await catalog.segments.add([segment('done', 0, unit(1, 0, 0, 0)), segment('half', 0, unit(0, 1, 0, 0))]);
    await catalog.videos.upsert([video('done')]);
    expect(await catalog.removeOrphanSegments()).toBe(1);
    expect(await catalog.counts()).toEqual({ videos: 1, segments: 1 });
  });

  it('keeps segments of a video that a live writer has claimed', async () => {
    const catalog = await Catalog.open(join(dir, 'db4'), { create: true });
    await catalog.initialise(manifest);
    await catalog.segments.add([segment('busy', 0, unit(1, 0, 0, 0)), segment('dead', 0, unit(0, 1, 0, 0))]);
    expect(await catalog.removeOrphanSegments(new Set(['busy']))).toBe(1);
    expect(await catalog.segments.count()).toBe(1);
    // Not yet committed (no video row): kept, but not counted as indexed.
    expect(await catalog.counts()).toEqual({ videos: 0, segments: 0 });
  });

  it('sweeps every segment when no video is indexed, and names each orphan video once, quotes and all', async () => {
    const catalog = await Catalog.open(join(dir, 'db5'), { create: true });
    await catalog.initialise(manifest);
    await catalog.segments.add([segment("o'brien", 0, unit(1, 0, 0, 0)), segment("o'brien", 1, unit(0, 1, 0, 0)), segment('kept', 0, unit(0, 0, 1, 0))]);
    expect((await catalog.segments.videoIdsOutside(new Set())).sort()).toEqual(['kept', "o'brien"]);
    expect(await catalog.segments.videoIdsOutside(new Set(['kept']))).toEqual(["o'brien"]);
    await catalog.videos.upsert([video('kept')]);
    expect(await catalog.removeOrphanSegments()).toBe(1);
    expect(await catalog.counts()).toEqual({ videos: 1, segments: 1 });
    expect(await catalog.segments.videoIdsOutside(new Set(['kept']))).toEqual([]);
  });

  it('upserts video rows by id and deletes a video with its segments', async () => {
    const catalog = await Catalog.open(join(dir, 'db3'), { create: true });
    await catalog.initialise(manifest);
    await catalog.segments.add([segment("it's", 0, unit(1, 0, 0, 0))]);
    await catalog.videos.upsert([video("it's")]);
    await catalog.videos.upsert([{ ...video("it's"), path: '/moved.mp4' }]);
    expect((await catalog.videos.all()).map((v) => v.path)).toEqual(['/moved.mp4']);
    await catalog.deleteVideos(["it's"]);
    expect(await catalog.counts()).toEqual({ videos: 0, segments: 0 });
  });

  it('reads the video rows by id once per commit of the table, whichever connection made it', async () => {
    const path = join(dir, 'db-byid');
    const reader = await Catalog.open(path, { create: true });
    await reader.initialise(manifest);
    expect((await reader.videos.byId()).size).toBe(0);
    const writer = await Catalog.open(path, { create: false });
    await writer.videos.upsert([video('a'), video('b')]);
    const first = await reader.videos.byId();
    expect([...first.keys()].sort()).toEqual(['a', 'b']);
    expect(await reader.videos.byId()).toBe(first); // no commit since: the same rows, not read again
    await writer.videos.upsert([{ ...video('b'), path: '/moved/b.mp4' }]);
    const second = await reader.videos.byId();
    expect(second).not.toBe(first);
    expect(second.get('b')?.path).toBe('/moved/b.mp4');
  });

  it('opening a folder whose first writer is still creating the tables waits for it instead of calling them damaged', async () => {
    const path = join(dir, 'db-first-writer');
    mkdirSync(path);
    let entered = () => {};
    const inside = new Promise<void>((r) => (entered = r));
    const creator = await Catalog.open(path, { create: true });
    const firstWriter = withIndexLock(path, async () => {
      // What another process's half-made table looks like to LanceDB: listed, not yet openable.
      mkdirSync(join(path, 'segments.lance'));
      entered();
      await new Promise((r) => setTimeout(r, 300));
      rmSync(join(path, 'segments.lance'), { recursive: true });
      await creator.initialise(manifest);
    });
    await inside;
    const opened = Catalog.open(path, { create: true });
    await firstWriter;
    expect((await opened).manifest?.model.sha256).toBe(manifest.model.sha256);
  });
});
