import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/store/catalog.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { audioOnly, testPattern } from '../helpers/videos.js';
import { SHARED_VIDEOS, tempDir } from '../helpers/tmp.js';

const root = tempDir();
const model = join(root, 'tiny');
const other = join(root, 'tiny-other');
const footage = join(root, 'footage');
const db = join(root, 'db');
const awkward = `b with spaces 'quote' $(touch pwned) ünï.mp4`;

interface IndexJson {
  indexed: number;
  skipped: number;
  ignored: number;
  failed: Array<{ path: string; error: string }>;
  segments: number;
  seconds: number;
}

interface SearchJson {
  query: string;
  model: string;
  k: number;
  results: Array<{ rank: number; score: number; video: { id: string; path: string; domain: string }; start: number; end: number }>;
}

const failureFor = (summary: IndexJson, name: string) => summary.failed.find((f) => f.path.endsWith(name))?.error;

describe('vidlens index / search / info', () => {
  let first: { code: number | null; json: IndexJson };

  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', model, '--seed', '1'])).code).toBe(0);
    expect((await vidlens(['model', 'tiny', other, '--seed', '2'])).code).toBe(0);
    mkdirSync(join(footage, 'sub'), { recursive: true });
    await testPattern(join(footage, 'a.mp4'), { seconds: 6 });
    await testPattern(join(footage, awkward), { seconds: 3, width: 96, height: 160 });
    await testPattern(join(footage, 'sub', 'c.mov'), { seconds: 9, fps: 5 });
    await testPattern(join(footage, 'one-frame.mp4'), { seconds: 0.1, fps: 10 });
    await testPattern(join(footage, 'huge.mp4'), { seconds: 0.4, width: 7680, height: 4320, fps: 5 });
    await audioOnly(join(footage, 'audio-only.mp4'));
    writeFileSync(join(footage, 'notes.txt'), 'not a video');
    writeFileSync(join(footage, 'cover.jpg'), 'not a video either');
    writeFileSync(join(footage, 'empty.mp4'), '');
    writeFileSync(join(footage, 'fake.mp4'), 'plain text pretending to be a video\n'.repeat(20));
    const bytes = readFileSync(join(SHARED_VIDEOS, 'mmaction2__tests_data_test.mp4'));
    writeFileSync(join(footage, 'truncated.mp4'), bytes.subarray(0, bytes.length >> 2));
    first = await vidlensJson<IndexJson>(['index', footage, '--db', db, '--model', model, '--domain', 'lab']);
  });

  it('indexes the good videos and reports each bad one by name and reason, exiting 1', () => {
    expect(first.code).toBe(1);
    expect(first.json.indexed).toBe(5);
    expect(first.json.ignored).toBe(2);
    expect(first.json.failed).toHaveLength(4);
    expect(failureFor(first.json, 'empty.mp4')).toMatch(/empty/);
    expect(failureFor(first.json, 'fake.mp4')).toMatch(/not a readable video/);
    expect(failureFor(first.json, 'truncated.mp4')).toMatch(/truncated\.mp4: (not a readable video|ffmpeg could not decode)/);
    expect(failureFor(first.json, 'audio-only.mp4')).toMatch(/no video stream \(found audio\)/);
    expect(existsSync(join(footage, 'pwned'))).toBe(false);
  });

  it('cuts each video into its planned segments', async () => {
    const catalog = await Catalog.open(db, { create: false });
    const videos = await catalog.videos.all();
    const byName = (name: string) => videos.find((v) => v.path.endsWith(name))!;
    expect(byName('a.mp4').segments).toBe(2);
    expect(byName('c.mov').segments).toBe(3);
    expect(byName('one-frame.mp4').segments).toBe(1);
    expect(byName(awkward).width).toBe(96);
    expect(byName('huge.mp4').width).toBe(7680);
    expect(first.json.segments).toBe(videos.reduce((s, v) => s + v.segments, 0));
  });

  it('finds segments whose spans lie inside their videos', async () => {
    const { code, json } = await vidlensJson<SearchJson>(['search', 'a test pattern with colour bars', '--db', db, '--k', '5']);
    expect(code).toBe(0);
    expect(json).toMatchObject({ query: 'a test pattern with colour bars', model: 'local:tiny', k: 5 });
    expect(json.results).toHaveLength(5);
    const videos = new Map((await (await Catalog.open(db, { create: false })).videos.all()).map((v) => [v.id, v]));
    json.results.forEach((r, i) => {
      expect(r.rank).toBe(i + 1);
      const video = videos.get(r.video.id)!;
      expect(r.video.path).toBe(video.path);
      expect(r.start).toBeGreaterThanOrEqual(0);
      expect(r.end).toBeGreaterThan(r.start);
      expect(r.end).toBeLessThanOrEqual(video.duration + 1e-6);
      if (i > 0) expect(r.score).toBeLessThanOrEqual(json.results[i - 1].score);
    });
  });

  it('filters by video and by domain', async () => {
    const byVideo = await vidlensJson<SearchJson>(['search', 'bars', '--db', db, '--video', 'c.mov']);
    expect(byVideo.json.results).toHaveLength(3);
    expect(new Set(byVideo.json.results.map((r) => r.video.path))).toEqual(new Set([join(footage, 'sub', 'c.mov')]));
    // --json carries the domain the text output shows.
    expect(byVideo.json.results.map((r) => r.video.domain)).toEqual(['lab', 'lab', 'lab']);
    const unknown = await vidlens(['search', 'bars', '--db', db, '--domain', 'night']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--domain night: no indexed video has this domain \(the index has: lab\)/);
  });

  it('describes the index', async () => {
    const { json } = await vidlensJson(['info', '--db', db]);
    expect(json).toMatchObject({
      videos: 5,
      segments: first.json.segments,
      model: { id: 'local:tiny', dim: 128 },
      sampling: { window: 4, stride: 4, frames: 8 },
      domains: { lab: 5 },
    });
  });

  it('skips unchanged videos on a re-run and keeps moved ones without duplicates', async () => {
    const again = await vidlensJson<IndexJson>(['index', footage, '--db', db]);
    expect(again.json).toMatchObject({ indexed: 0, skipped: 5, segments: 0 });
    renameSync(join(footage, 'a.mp4'), join(footage, 'moved.mp4'));
    const moved = await vidlensJson<IndexJson>(['index', footage, '--db', db]);
    expect(moved.json).toMatchObject({ indexed: 0, skipped: 5 });
    const catalog = await Catalog.open(db, { create: false });
    expect(await catalog.counts()).toEqual({ videos: 5, segments: first.json.segments });
    expect((await catalog.videos.all()).some((v) => v.path.endsWith('moved.mp4'))).toBe(true);
  });

  it('moves unchanged videos indexed again under another --domain, keeping their vectors', async () => {
    const sub = join(footage, 'sub');
    const relabel = await vidlensJson<IndexJson & { relabeled: number }>(['index', sub, '--db', db, '--domain', 'night']);
    expect(relabel.json).toMatchObject({ indexed: 0, skipped: 1, relabeled: 1, segments: 0 });
    const night = await vidlensJson<SearchJson>(['search', 'bars', '--db', db, '--domain', 'night']);
    expect(night.json.results).toHaveLength(3);
    expect(new Set(night.json.results.map((r) => `${r.video.path} ${r.video.domain}`))).toEqual(new Set([`${join(sub, 'c.mov')} night`]));
    const info = await vidlensJson(['info', '--db', db]);
    expect(info.json).toMatchObject({ domains: { lab: 4, night: 1 } });
    const text = await vidlens(['index', sub, '--db', db, '--domain', 'lab']);
    expect(text.stdout).toMatch(/skipped 1 unchanged video\(s\), 1 of them moved to domain "lab" \(vectors kept\)/);
    const same = await vidlensJson<IndexJson & { relabeled: number }>(['index', sub, '--db', db, '--domain', 'lab']);
    expect(same.json.relabeled).toBe(0);
  });

  it('re-embeds a changed video and drops its stale segments', async () => {
    await testPattern(join(footage, 'moved.mp4'), { seconds: 13 });
    const changed = await vidlensJson<IndexJson>(['index', footage, '--db', db]);
    expect(changed.json).toMatchObject({ indexed: 1, skipped: 4, segments: 4 });
    const catalog = await Catalog.open(db, { create: false });
    expect(await catalog.counts()).toEqual({ videos: 5, segments: first.json.segments - 2 + 4 });
  });

  it('refuses a model other than the index’s, for indexing and for search', async () => {
    const index = await vidlens(['index', footage, '--db', db, '--model', other]);
    expect(index.code).toBe(2);
    expect(index.stderr).toMatch(/was built with local:tiny/);
    const search = await vidlens(['search', 'x', '--db', db, '--model', other]);
    expect(search.code).toBe(2);
    expect(search.stderr).toMatch(/was built with local:tiny/);
  });

  it('refuses different sampling settings for an existing index', async () => {
    const result = await vidlens(['index', footage, '--db', db, '--window', '2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/uses --window 4 --stride 4 --frames 8/);
  });

  it('names the flag for a missing or unusable --model, a --db that is a file, and a bad number', async () => {
    const missing = await vidlens(['index', footage, '--db', join(root, 'db-x'), '--model', join(root, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--model .*nope: no such folder/);
    const noConfig = await vidlens(['index', footage, '--db', join(root, 'db-y'), '--model', footage]);
    expect(noConfig.code).toBe(2);
    expect(noConfig.stderr).toMatch(/--model .*footage: the folder has no config\.json/);
    // A first run that cannot load its model leaves no index folder behind.
    expect(existsSync(join(root, 'db-x'))).toBe(false);
    expect(existsSync(join(root, 'db-y'))).toBe(false);
    const bert = join(root, 'bert');
    mkdirSync(bert);
    writeFileSync(join(bert, 'config.json'), JSON.stringify({ model_type: 'bert' }));
    const unsupported = await vidlens(['index', footage, '--db', join(root, 'db-z'), '--model', bert]);
    expect(unsupported.code).toBe(2);
    expect(unsupported.stderr).toMatch(/--model .*bert: unsupported model type "bert" \(known: clip, siglip, chinese_clip, jina_clip\)/);
    writeFileSync(join(root, 'db-file'), 'x');
    const dbFile = await vidlens(['search', 'x', '--db', join(root, 'db-file')]);
    expect(dbFile.code).toBe(2);
    expect(dbFile.stderr).toMatch(/--db .*db-file: exists and is not a directory/);
    const badK = await vidlens(['search', 'x', '--db', db, '--k', 'zero']);
    expect(badK.code).toBe(2);
    expect(badK.stderr).toMatch(/--k/);
    // Not wrapped modulo 2³² (4294967297 once returned 1 result), not read as hexadecimal or exponent notation.
    for (const k of ['4294967297', '0x10', '1e2', '100001', '']) {
      const r = await vidlens(['search', 'x', '--db', db, '--k', k]);
      expect(r.code, k).toBe(2);
      expect(r.stderr, k).toMatch(/option '--k <n>' argument '.*' is invalid\. expected a whole number from 1 to 100000/);
    }
    const badFrames = await vidlens(['index', footage, '--db', join(root, 'never'), '--frames', '8.5']);
    expect(badFrames.code).toBe(2);
    expect(badFrames.stderr).toMatch(/--frames <n>' argument '8\.5' is invalid\. expected a whole number ≥ 1/);
    for (const r of [missing, noConfig, dbFile, badK]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('says the hub is out of reach, naming the default model the user never typed, and how to work offline', async () => {
    // A closed port on loopback stands in for a network without the hub: nothing leaves the machine.
    const env = { HF_ENDPOINT: 'http://127.0.0.1:9', VIDLENS_MODEL: '', VIDLENS_CACHE: join(root, 'empty-cache') };
    const r = await vidlens(['index', join(footage, 'sub'), '--db', join(root, 'db-offline')], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the default model Xenova\/clip-vit-base-patch32 \(choose another with --model or VIDLENS_MODEL\): cannot reach the Hugging Face hub to download it \(.*\); offline, pass --model DIR with a local model folder \('vidlens model pretrained DIR' writes one\)/);
    expect(r.stderr).not.toMatch(/--model Xenova/);
    expect(existsSync(join(root, 'db-offline'))).toBe(false);
  });

  it('indexes every shared real video or fails it with a clear reason', async () => {
    const sharedDb = join(root, 'shared-db');
    const { code, json } = await vidlensJson<IndexJson>(['index', SHARED_VIDEOS, '--db', sharedDb, '--model', model]);
    expect(code).toBe(1);
    expect(json.failed.map((f) => f.path.split('/').pop())).toEqual(['pymediainfo__sample.mkv']);
    expect(json.failed[0].error).toMatch(/pymediainfo__sample\.mkv: not a readable video/);
    expect(json.indexed).toBe(20);
  });
});

describe('an interrupted index run', () => {
  it('resumes without duplicates after the process is killed mid-run', async () => {
    const set = join(root, 'resume-set');
    mkdirSync(set, { recursive: true });
    for (let i = 0; i < 6; i++) copyFileSync(join(SHARED_VIDEOS, 'mmaction2__tests_data_test.mp4'), join(set, `copy${i}.mp4`));
    // Different content per file: append the index so content ids differ.
    for (let i = 0; i < 6; i++) writeFileSync(join(set, `copy${i}.mp4`), Buffer.concat([readFileSync(join(set, `copy${i}.mp4`)), Buffer.from([i])]));
    const resumeDb = join(root, 'resume-db');
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers/cli.js');
    const child = spawn(process.execPath, [BIN, 'index', set, '--db', resumeDb, '--model', model, '--commit-every', '1', '--batch-size', '2'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.on('close', r));
    const deadline = Date.now() + 60_000;
    let killedWith = -1;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (!existsSync(join(resumeDb, 'vidlens-manifest.json'))) continue;
      const opened = await Catalog.open(resumeDb, { create: false }).catch(() => undefined);
      // Raw rows, committed or not: the kill must land mid-run.
      const counts = opened ? { videos: await opened.videos.count(), segments: await opened.segments.count() } : { videos: 0, segments: 0 };
      if (counts.segments >= 4) {
        child.kill('SIGKILL');
        killedWith = counts.videos;
        break;
      }
    }
    await exited;
    expect(killedWith).toBeGreaterThanOrEqual(0);
    expect(killedWith).toBeLessThan(6);

    const resumed = await vidlensJson<IndexJson>(['index', set, '--db', resumeDb]);
    expect(resumed.code).toBe(0);
    expect(resumed.json.indexed + resumed.json.skipped).toBe(6);
    const catalog = await Catalog.open(resumeDb, { create: false });
    expect(await catalog.counts()).toEqual({ videos: 6, segments: 18 });
    const hits = await catalog.segments.search(new Float32Array(128).fill(1 / Math.sqrt(128)), 100);
    expect(new Set(hits.map((h) => h.segment.id)).size).toBe(18);
  });
});
