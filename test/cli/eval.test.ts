import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/util/npy.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { testPattern } from '../helpers/videos.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir();
const model = join(root, 'tiny');
const db = join(root, 'db');
const dataset = join(root, 'clips.jsonl');

interface Report {
  kind: string;
  model: { id: string; sha256: string; dim: number };
  dataset: { path: string; sha256: string; n: number };
  config: { clipsEmbedded: number };
  metrics: Record<string, Record<string, unknown>>;
  domains: Record<string, { n: number; metrics: Record<string, unknown> }>;
  adapter: unknown;
  details: unknown[];
}

const line = (o: object) => JSON.stringify(o);

describe('vidlens eval', () => {
  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', model])).code).toBe(0);
    mkdirSync(join(root, 'videos'));
    await testPattern(join(root, 'videos', 'a.mp4'), { seconds: 8 });
    await testPattern(join(root, 'videos', 'b.mp4'), { seconds: 4, width: 200, height: 100 });
    await testPattern(join(root, 'videos', 'c.mp4'), { seconds: 5, fps: 5 });
    writeFileSync(
      dataset,
      [
        line({ video: 'videos/a.mp4', start: 0, end: 4, captions: ['a counter starts'], labels: ['motion:left', 'color:red'], domain: 'lab' }),
        line({ video: 'videos/a.mp4', start: 4, end: 8, captions: ['the counter goes on'], labels: ['motion:right', 'color:red'], domain: 'lab' }),
        line({ video: 'videos/b.mp4', captions: ['a wide pattern'], labels: ['motion:left', 'color:blue'], domain: 'night' }),
        line({ video: 'videos/c.mp4', start: 1, end: 4.5, captions: ['a slow pattern'], labels: ['motion:still', 'color:blue'], domain: 'night' }),
      ].join('\n') + '\n',
    );
  });

  it('eval retrieval prints the report contract, overall and per domain, and agrees with `metrics retrieval` on the saved matrix', async () => {
    const sim = join(root, 'sim.npy');
    const { code, json } = await vidlensJson<Report>(['eval', 'retrieval', '--db', db, '--model', model, '--dataset', dataset, '--save-sim', sim, '--out', join(root, 'report')]);
    expect(code).toBe(0);
    expect(json.kind).toBe('retrieval');
    expect(json.model).toMatchObject({ id: 'local:tiny', dim: 128 });
    expect(json.dataset).toMatchObject({ path: dataset, n: 4 });
    expect(json.dataset.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.adapter).toBeNull();
    expect(Object.keys(json.domains).sort()).toEqual(['lab', 'night']);
    expect(json.domains.lab.n).toBe(2);
    expect(json.details).toHaveLength(4);
    const mir = json.metrics.mir as { mAP: { v2t: number; t2v: number; avg: number }; nDCG: { avg: number } };
    for (const v of [mir.mAP.v2t, mir.mAP.t2v, mir.mAP.avg, mir.nDCG.avg]) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    const direct = await vidlensJson<Record<string, unknown>>(['metrics', 'retrieval', '--sim', sim]);
    const retrieval = json.metrics.retrieval as { t2v: Record<string, number>; v2t: Record<string, number> };
    expect({ ...retrieval.t2v, n: undefined }).toEqual({ ...(direct.json.t2v as object), n: undefined });
    expect({ ...retrieval.v2t, n: undefined }).toEqual({ ...(direct.json.v2t as object), n: undefined });
    const written = JSON.parse(readFileSync(join(root, 'report', 'report.json'), 'utf8')) as Report;
    expect(written.metrics).toEqual(json.metrics);
    // The saved matrix is captions × clips; metrics mir reads it with --sim-layout sentences-videos.
    const rel = join(root, 'rel.npy');
    writeFileSync(rel, encodeNpy({ data: Float64Array.from([1, 0.5, 0, 0, 0, 1, 0.2, 0, 0, 0.2, 1, 0.5, 0, 0, 0.5, 1]), rows: 4, cols: 4 }));
    const graded = await vidlensJson<Report>(['eval', 'retrieval', '--db', db, '--dataset', dataset, '--relevancy', rel, '--save-sim', sim]);
    const fromFile = await vidlensJson<Record<string, unknown>>(['metrics', 'mir', '--sim', sim, '--relevancy', rel, '--sim-layout', 'sentences-videos']);
    expect(fromFile.json).toEqual(JSON.parse(JSON.stringify(graded.json.metrics.mir)));
    const wrongWay = await vidlensJson<Record<string, unknown>>(['metrics', 'mir', '--sim', sim, '--relevancy', rel]);
    expect(wrongWay.json).not.toEqual(fromFile.json);
  });

  it('reuses clip features stored in the index on a second run', async () => {
    const { json } = await vidlensJson<Report>(['eval', 'retrieval', '--db', db, '--dataset', dataset]);
    expect(json.config.clipsEmbedded).toBe(0);
  });

  it('writes a report.html that Chromium loads, with the summary table and charts', () => {
    const page = spawnSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${join(root, 'report', 'report.html')}`], { encoding: 'utf8', timeout: 60_000 });
    expect(page.status).toBe(0);
    expect(page.stdout).toMatch(/<table class="summary">/);
    expect(page.stdout).toMatch(/text→video R@1 \(%\) ↑/);
    expect((page.stdout.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(page.stdout).toMatch(/data:image\/jpeg;base64,/);
  });

  it('eval classify reports acc1, acc5 and mean per-class recall, overall and per domain', async () => {
    const { code, json } = await vidlensJson<Report>(['eval', 'classify', '--db', db, '--dataset', dataset, '--label-prefix', 'motion:', '--prompts', 'a video of something moving {}', '{}', '--out', join(root, 'classify')]);
    expect(code).toBe(0);
    expect(json.kind).toBe('classify');
    const c = json.metrics.classify as { acc1: number; acc5: number | null; mean_per_class_recall: number; n: number };
    expect(c.n).toBe(4);
    expect(c.acc5).toBeNull();
    expect([0, 25, 50, 75, 100]).toContain(c.acc1);
    expect(Object.keys(json.domains).sort()).toEqual(['lab', 'night']);
    expect(readFileSync(join(root, 'classify', 'report.html'), 'utf8')).toMatch(/acc1 \(%\)/);
    const text = await vidlens(['eval', 'classify', '--db', db, '--dataset', dataset, '--label-prefix', 'motion:']);
    expect(text.stdout).toMatch(/^all\s+acc1 \d+\.\d\d {2}acc5 n\/a \(< 5 classes\) {2}mean per-class recall/m);
  });

  it('evaluates the MSR-VTT 1k-A split against a folder of its videos (here: stand-ins for the first three)', async () => {
    const root3 = join(root, 'msrvtt-videos');
    mkdirSync(root3);
    for (const id of ['video9770', 'video9771', 'video7020']) await testPattern(join(root3, `${id}.mp4`), { seconds: 2 });
    const csv = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'msrvtt', 'MSRVTT_JSFUSION_test.csv');
    const { code, json } = await vidlensJson<Report>(['eval', 'retrieval', '--db', db, '--dataset', csv, '--videos-root', root3, '--limit', '3']);
    expect(code).toBe(0);
    expect(json.dataset).toMatchObject({ n: 3, format: 'msrvtt' });
    expect(Object.keys(json.domains)).toEqual(['msrvtt']);
  });

  it('works with a relative --db named "db" (not a cloud URI)', async () => {
    const r = await vidlens(['eval', 'retrieval', '--db', 'db', '--model', model, '--dataset', dataset, '--json'], { cwd: root });
    expect(r.code).toBe(0);
  });

  it('names the line and the problem for bad datasets, exiting 2', async () => {
    const bad = (name: string, content: string) => {
      const path = join(root, name);
      writeFileSync(path, content);
      return path;
    };
    const badRelevancy = join(root, 'bad-rel.npy');
    const rel = new Float32Array(16);
    rel[2 * 4 + 3] = 1.5;
    writeFileSync(badRelevancy, encodeNpy({ data: rel, rows: 4, cols: 4 }));
    const wrongShape = join(root, 'wrong-shape.npy');
    writeFileSync(wrongShape, encodeNpy({ data: new Float32Array(4), rows: 2, cols: 2 }));
    const cases: Array<[string[], RegExp]> = [
      [['eval', 'retrieval', '--dataset', bad('array.jsonl', '[1, 2]\n')], /array\.jsonl:1: expected a JSON object per line, got an array/],
      [['eval', 'retrieval', '--dataset', bad('broken.jsonl', `${line({ video: 'videos/a.mp4', captions: ['x'] })}\n{oops\n`)], /broken\.jsonl:2: not valid JSON/],
      [['eval', 'retrieval', '--dataset', bad('missing.jsonl', line({ video: 'videos/none.mp4', captions: ['x'] }))], /missing\.jsonl:1: video videos\/none\.mp4 does not exist/],
      [['eval', 'retrieval', '--dataset', bad('span.jsonl', line({ video: 'videos/b.mp4', start: 2, end: 30, captions: ['x'] }))], /span\.jsonl:1: clip span \[2, 30\] s lies outside its video .*b\.mp4 \(duration 4\.000 s\)/],
      [['eval', 'retrieval', '--dataset', bad('missing2.jsonl', [line({ video: 'videos/a.mp4', captions: ['x'] }), line({ video: 'videos/none1.mp4', captions: ['x'] }), line({ video: 'videos/none2.mp4', captions: ['x'] })].join('\n'))],
        /missing2\.jsonl: 2 of 3 clips name a video that does not exist:\n {2}.*missing2\.jsonl:2: video videos\/none1\.mp4 does not exist.*\n {2}.*missing2\.jsonl:3: video videos\/none2\.mp4/],
      [['eval', 'retrieval', '--dataset', bad('spans.jsonl', [line({ video: 'videos/b.mp4', start: 5, end: 6, captions: ['x'] }), line({ video: 'videos/b.mp4', start: 0, end: 1, captions: ['x'] }), line({ video: 'videos/b.mp4', start: 1, end: 9, captions: ['x'] })].join('\n'))],
        /spans\.jsonl: 2 of 3 clips cannot be embedded:\n {2}.*spans\.jsonl:1: clip span \[5, 6\].*\n {2}.*spans\.jsonl:3: clip span \[1, 9\]/],
      [['eval', 'retrieval', '--dataset', bad('order.jsonl', line({ video: 'videos/b.mp4', start: 3, end: 1, captions: ['x'] }))], /order\.jsonl:1: end must be greater than start/],
      [['eval', 'retrieval', '--dataset', bad('nocaps.jsonl', line({ video: 'videos/b.mp4', caption: 'a bar' }))], /no clip has a "captions" field with text; .*field "caption" \(line 1\) is not one vidlens reads and was ignored; did you mean "captions"\?/],
      [['eval', 'classify', '--dataset', bad('one.jsonl', line({ video: 'videos/b.mp4', labels: ['motion:left'] }))], /needs at least 2 classes, found 1 \(motion:left\)/],
      [['eval', 'classify', '--dataset', dataset], /clips\.jsonl:1: expected exactly one label per clip, found 2 \(pick a label family with --label-prefix/],
      [['eval', 'retrieval', '--dataset', dataset, '--relevancy', badRelevancy], /--relevancy .*bad-rel\.npy: value 1\.5 at row 2, column 3 is outside \[0, 1\]/],
      [['eval', 'retrieval', '--dataset', dataset, '--relevancy', wrongShape], /--relevancy .*wrong-shape\.npy: shape 2×2 does not match 4 clips × 4 captions/],
    ];
    for (const [args, message] of cases) {
      const r = await vidlens([...args, '--db', db]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--skip-missing evaluates the clips whose video exists and lists the rest in the report', async () => {
    const path = join(root, 'partly-missing.jsonl');
    const kept = readFileSync(dataset, 'utf8').trim().split('\n');
    writeFileSync(path, [...kept, JSON.stringify({ video: 'videos/gone.mp4', captions: ['a gone pattern'], labels: ['motion:left', 'color:red'], domain: 'lab' })].join('\n'));
    const refused = await vidlens(['eval', 'retrieval', '--db', db, '--dataset', path]);
    expect(refused.code).toBe(2);
    type Skipping = { warnings: string[]; config: { skipped: string[]; clips?: number }; dataset: { n: number } };
    const { code, json } = await vidlensJson<Skipping>(['eval', 'retrieval', '--db', db, '--dataset', path, '--skip-missing']);
    expect(code).toBe(0);
    expect(json.dataset.n).toBe(kept.length);
    expect(json.config.skipped).toEqual([`${path}:${kept.length + 1}: video ${join(root, 'videos', 'gone.mp4')} does not exist`]);
    expect(json.warnings[0]).toMatch(/^skipped 1 clip\(s\) whose video does not exist \(listed in the report's config\.skipped\)/);
    const classify = await vidlensJson<Skipping>(['eval', 'classify', '--db', db, '--dataset', path, '--label-prefix', 'color:', '--skip-missing']);
    expect(classify.code).toBe(0);
    expect(classify.json.config.skipped).toHaveLength(1);
    expect(classify.json.dataset.n).toBe(kept.length);
  });
});
