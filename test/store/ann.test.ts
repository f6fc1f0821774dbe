import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect, Index } from '@lancedb/lancedb';
import { beforeAll, describe, expect, it } from 'vitest';
import { hitsAtExactKth } from '../../src/eval/metrics/ann-recall.js';
import { Catalog } from '../../src/store/catalog.js';
import { MANIFEST_FILE } from '../../src/store/manifest.js';
import { Rng } from '../../src/util/random.js';
import { writeNpy } from '../../src/util/npy.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { testPattern } from '../helpers/videos.js';

interface Hit { segment: string; score: number; video: { domain: string; path: string } }
interface Ann { kind: string; indexedRows: number; unindexedRows: number; partitions: number }

const QUERIES = ['a red circle', 'numbers counting up', 'coloured stripes', 'a dark frame'];

describe('the ANN index of the segments', () => {
  const root = tempDir();
  const db = join(root, 'db');
  const small = join(root, 'small');
  const sampling = ['--window', '0.25', '--frames', '1'];
  const search = (query: string, extra: string[] = []) => vidlensJson<{ results: Hit[] }>(['search', query, '--db', db, '--k', '10', ...extra]);
  const ann = async () => (await vidlensJson<{ ann: Ann | null }>(['info', '--db', db])).json.ann;

  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', join(root, 'tiny')])).code).toBe(0);
    await testPattern(join(root, 'a.mp4'), { seconds: 60, fps: 8 });
    await testPattern(join(root, 'b.mp4'), { seconds: 60, fps: 8, pattern: 'testsrc2' });
    await testPattern(join(root, 'c.mp4'), { seconds: 6, fps: 8, pattern: 'smptebars' });
    expect((await vidlens(['index', join(root, 'a.mp4'), '--db', db, '--model', join(root, 'tiny'), '--domain', 'a', ...sampling])).code).toBe(0);
    expect((await vidlens(['index', join(root, 'a.mp4'), '--db', small, '--model', join(root, 'tiny'), '--window', '4'])).code).toBe(0);
  }, 120_000);

  it('is built by index once the segments pass the threshold, and shown by info', async () => {
    expect(await ann()).toBeNull();
    const fragments = async () => (await (await (await connect(db)).openTable('segments')).stats()).fragmentStats.numFragments;
    const run = await vidlensJson<{ ann: string | null; segments: number }>(['index', join(root, 'b.mp4'), '--db', db, '--domain', 'b'], );
    expect(run.json.ann).toBeNull();
    expect(await fragments()).toBe(2); // one commit per video
    const again = await vidlens(['index', join(root, 'b.mp4'), '--db', db, '--json'], { env: { VIDLENS_ANN_THRESHOLD: '300' } });
    expect(JSON.parse(again.stdout)).toMatchObject({ ann: 'built', skipped: 1 });
    expect(await ann()).toMatchObject({ kind: 'IVF_HNSW_SQ', indexedRows: 480, unindexedRows: 0, partitions: 1 });
    expect(await fragments()).toBe(1); // compacted before the build
  });

  // The tiny model's vectors lie within 1e-4 of one another, finer than the index's 8-bit codes resolve: a
  // graph built over such ties can leave rows that no walk reaches, however broad. So this check of the path
  // (filters, re-ranking, scores) runs on spread random vectors imported over the same videos, every row
  // re-ranked on its full vector (48 × k = 480 candidates, from a graph search broader than the rows);
  // ann-recall.test.ts measures recall on a trained model. Rows tied with the 10th count as found.
  it('with every row re-ranked, finds what the exact scan finds, with and without a filter', async () => {
    const spread = join(root, 'spread');
    const rng = new Rng(3);
    const rows = 480;
    await writeNpy(join(root, 'spread.npy'), { data: Float32Array.from({ length: rows * 128 }, () => rng.normal()), rows, cols: 128 });
    const spans = Array.from({ length: rows }, (_, i) => ({ video: i < 240 ? 'a.mp4' : 'b.mp4', start: (i % 240) * 0.25, end: ((i % 240) + 1) * 0.25, domain: i < 240 ? 'a' : 'b' }));
    await writeFile(join(root, 'spread.jsonl'), spans.map((span) => JSON.stringify(span)).join('\n'));
    const imported = await vidlens(['import', '--vectors', join(root, 'spread.npy'), '--segments', join(root, 'spread.jsonl'), '--db', spread, '--model', join(root, 'tiny')]);
    expect(imported.code, imported.stderr).toBe(0);
    expect((await vidlens(['optimize', '--db', spread, '--ann'])).code).toBe(0);
    const refined = async (q: string, filter: string[]) => {
      const run = await vidlens(['search', q, '--db', spread, '--k', '10', '--json', ...filter], { env: { VIDLENS_ANN_REFINE: '48', VIDLENS_ANN_EF: '960' } });
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { results: Hit[] }).results;
    };
    for (const q of QUERIES) {
      for (const filter of [[], ['--domain', 'a'], ['--domain', 'b']]) {
        const approximate = await refined(q, filter);
        const exact = (await vidlensJson<{ results: Hit[] }>(['search', q, '--db', spread, '--k', '10', '--exact', ...filter])).json.results;
        // The same hits as the exact scan, but for rows tied with its 10th (the re-ranking and the scan
        // sum in different orders): those may swap.
        const tenth = exact[9].score;
        const label = `${q} ${filter.join(' ')}`;
        expect(approximate, label).toHaveLength(10);
        expect(hitsAtExactKth(approximate, exact, 10), label).toBe(10);
        const found = new Set(approximate.map((r) => r.segment));
        expect(exact.filter((r) => r.score > tenth + 1e-6 && !found.has(r.segment)), label).toEqual([]);
        approximate.forEach((r, i) => expect(r.score).toBeCloseTo(exact[i].score, 5));
        if (filter.length) expect(approximate.every((r) => r.video.domain === filter[1])).toBe(true);
      }
    }
  });

  it('is the path searches take: with the narrowest graph search and no re-ranking, results depart from the exact scan', async () => {
    const catalog = await Catalog.open(db, { create: false });
    const stored = await catalog.segments.withVectors();
    let departed = 0;
    for (const { vector } of stored.filter((_, i) => i % 40 === 0)) {
      const rough = (await catalog.segments.search(vector, 10, {}, { nprobes: 1, ef: 10, refineFactor: 1 })).map((h) => h.segment.id);
      const exact = (await catalog.segments.search(vector, 10, {}, { exact: true })).map((h) => h.segment.id);
      if (rough.join() !== exact.join()) departed++;
    }
    expect(departed).toBeGreaterThan(0);
  });

  it("keeps a broad filter's rows from a deeper unfiltered graph search, prefilters a narrow one through its scalar index, and --exact bypasses both", async () => {
    const catalog = await Catalog.open(db, { create: false });
    const [{ vector }] = await catalog.segments.withVectors({ domain: 'a' });
    // Half the rows are domain a: the nearest 2 × 10 / 0.5 = 40, then the filter.
    const broad = await catalog.segments.analyze(vector, 10, { domain: 'a' });
    expect(broad).toMatch(/FilterExec: .*domain@\d+ = a.*\(\d+\/40\)/);
    expect(broad).toMatch(/ANNSubIndex: .*name=vector_idx/);
    expect(broad).not.toContain('ScalarIndexQuery');
    // The first two seconds of a: 8 rows of 480, too few to find 10 among the nearest 200.
    const narrow = await catalog.segments.analyze(vector, 10, { domain: 'a', to: 2 });
    expect(narrow).toMatch(/ScalarIndexQuery: .*query=\[domain = a\]@domain_idx\(Bitmap\)/);
    expect(narrow).toMatch(/ANNSubIndex: .*name=vector_idx/);
    expect((await catalog.segments.search(vector, 10, { domain: 'a', to: 2 })).map((h) => h.segment.start).sort((x, y) => x - y)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75]);
    expect(await catalog.segments.analyze(vector, 10, { domain: 'a' }, { exact: true })).not.toContain('ANNSubIndex');
  });

  it('prefilters when fewer than k of the deeper search pass the filter (a query whose neighbours are all outside it)', async () => {
    const catalog = await Catalog.open(db, { create: false });
    const [{ vector }] = await catalog.segments.withVectors({ domain: 'b' });
    expect(await catalog.segments.analyze(vector, 10, { domain: 'a' })).toMatch(/FilterExec: .*domain@\d+ = a.*selectivity=0% \(0\/40\)/);
    // Every row re-ranked (see above), so the prefiltered search finds what the exact scan finds.
    const hits = await catalog.segments.search(vector, 10, { domain: 'a' }, { refineFactor: 48 });
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => h.segment.domain === 'a')).toBe(true);
    expect(hitsAtExactKth(hits, await catalog.segments.search(vector, 10, { domain: 'a' }, { exact: true }), 10)).toBe(10);
  });

  it('searches rows added after the build before they are in it, until optimize folds them in', async () => {
    const run = await vidlensJson<{ ann: string | null }>(['index', join(root, 'c.mp4'), '--db', db, '--domain', 'c']);
    expect(run.json.ann).toBeNull(); // 24 new of 504: under a tenth, not folded in yet
    expect(await ann()).toMatchObject({ indexedRows: 480, unindexedRows: 24 });
    const found = (await search('coloured bars', ['--domain', 'c'])).json.results;
    expect(found).toHaveLength(10);
    expect(found.every((r) => r.video.path.endsWith('c.mp4'))).toBe(true);
    const optimized = await vidlensJson<{ action: string }>(['optimize', '--db', db]);
    expect(optimized.json.action).toBe('rebuilt');
    expect(await ann()).toMatchObject({ indexedRows: 504, unindexedRows: 0 });
  });

  it('rebuilds an index of an older type (IVF_PQ, whose manifest recorded no kind) at the next index run', async () => {
    const table = await (await connect(db)).openTable('segments');
    await table.createIndex('vector', { config: Index.ivfPq({ numPartitions: 2, numSubVectors: 16, distanceType: 'cosine' }), replace: true, name: 'vector_idx' });
    const old = { partitions: 2, subVectors: 16, rows: 504, built: '2026-12-01T00:00:00.000Z' };
    await writeFile(join(db, MANIFEST_FILE), JSON.stringify({ ...JSON.parse(await readFile(join(db, MANIFEST_FILE), 'utf8')), ann: old }));
    expect(await ann()).toMatchObject({ kind: 'IVF_PQ', partitions: 2 });
    const run = await vidlensJson<{ ann: string | null }>(['index', join(root, 'c.mp4'), '--db', db]);
    expect(run.json.ann).toBe('rebuilt');
    expect(await ann()).toMatchObject({ kind: 'IVF_HNSW_SQ', partitions: 1, indexedRows: 504, unindexedRows: 0 });
  });

  it('refuses a search tuning that is not a positive integer, naming the variable', async () => {
    for (const [name, value] of [['VIDLENS_ANN_EF', 'wide'], ['VIDLENS_ANN_REFINE', '0']]) {
      const run = await vidlens(['search', 'a red circle', '--db', db], { env: { [name]: value } });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${name}=${value}: not a positive integer (unset it for the default)`);
      expect(run.stderr).not.toContain('    at ');
    }
  });

  it('optimize --ann refuses an index too small to train one, naming --db', async () => {
    const run = await vidlens(['optimize', '--db', small, '--ann']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--db ${small}: the index has 15 segments; an ANN index needs at least 256`);
    const plain = await vidlens(['optimize', '--db', small]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('no ANN index (below the threshold');
  });
});
