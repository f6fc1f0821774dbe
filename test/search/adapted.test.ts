import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterSpec, videoHeadKey } from '../../src/heads/adapter/adapter.js';
import { loadAdapter, saveAdapter } from '../../src/heads/adapter/store.js';
import { initialWeights } from '../../src/heads/spec.js';
import type { TemporalPoolShape } from '../../src/heads/temporal-pool/temporal-pool.js';
import { Catalog } from '../../src/store/catalog.js';
import { Rng } from '../../src/util/random.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { writable } from '../helpers/permissions.js';
import { tempDir } from '../helpers/tmp.js';
import { testPattern } from '../helpers/videos.js';

interface Hit { segment: string; score: number; video: { domain: string; path: string } }
interface IndexRun { ann: string | null; adapted: Array<{ adapter: string; segments: number; rows: number; ann: string | null }> }

const QUERIES = ['a red circle', 'numbers counting up'];

/** An adapter whose heads are the identity plus noise, so that it ranks differently from the frozen model. */
async function noisyAdapter(dir: string, sha256: string, seed: number, temporal?: TemporalPoolShape): Promise<void> {
  const rng = new Rng(seed);
  const weights = initialWeights(adapterSpec(128, temporal), seed);
  for (const [name, w] of Object.entries(weights)) if (!name.endsWith('.pos')) for (let i = 0; i < w.length; i++) w[i] += 0.2 * rng.normal();
  await saveAdapter(dir, {
    meta: {
      kind: 'retrieval', vidlens: 'test', created: new Date(0).toISOString(), model: { id: 'local:tiny', sha256, dim: 128 }, loss: 'none', config: {},
      dataset: { path: 'x', sha256: 'x', train: 0, val: 0 }, validation: { metric: 'x', history: [], best: 0, bestEpoch: 0, zeroShot: 0 },
    },
    weights,
    temporal,
  });
}

describe('search through an adapter, in its stored copy of the vectors', () => {
  const root = tempDir();
  const db = join(root, 'db');
  const frozen = join(root, 'frozen');
  const linear = join(root, 'linear');
  const temporal = join(root, 'temporal');
  const sampling = ['--window', '0.5', '--frames', '2'];
  const search = (where: string, query: string, extra: string[] = [], unprivileged = false, env: NodeJS.ProcessEnv = {}) =>
    vidlens(['search', query, '--db', where, '--k', '10', '--json', ...extra], { unprivileged, env }).then((r) => {
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { results: Hit[] }).results;
    });
  const adaptedTables = () => readdirSync(db).filter((n) => n.startsWith('adapted_') && n.endsWith('.lance'));

  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', join(root, 'tiny')])).code).toBe(0);
    await testPattern(join(root, 'a.mp4'), { seconds: 80, fps: 8 });
    await testPattern(join(root, 'b.mp4'), { seconds: 80, fps: 8, pattern: 'testsrc2' });
    await testPattern(join(root, 'c.mp4'), { seconds: 6, fps: 8, pattern: 'smptebars' });
    expect((await vidlens(['index', join(root, 'a.mp4'), '--db', db, '--model', join(root, 'tiny'), '--domain', 'a', ...sampling])).code).toBe(0);
    expect((await vidlens(['index', join(root, 'b.mp4'), '--db', db, '--domain', 'b'])).code).toBe(0);
    const { sha256 } = (await Catalog.open(db, { create: false })).manifest!.model;
    await noisyAdapter(linear, sha256, 3);
    await noisyAdapter(temporal, sha256, 4, { steps: 2, width: 8 });
    // The reference: a read-only clone without any copy, searched by scanning every vector through the adapter.
    cpSync(db, frozen, { recursive: true });
    writable(frozen, false);
  }, 180_000);
  afterAll(() => writable(frozen, true));

  it('builds the copy on first use and ranks exactly as the scan through the adapter, with filters', async () => {
    expect(adaptedTables()).toEqual([]);
    for (const adapter of [linear, temporal]) {
      for (const q of QUERIES) {
        for (const filter of [[], ['--domain', 'b'], ['--video', join(root, 'a.mp4')]]) {
          const copy = await search(db, q, ['--adapter', adapter, ...filter]);
          const scan = await search(frozen, q, ['--adapter', adapter, ...filter], true);
          expect(copy.map((r) => r.segment), `${adapter} ${q} ${filter.join(' ')}`).toEqual(scan.map((r) => r.segment));
          copy.forEach((r, i) => expect(r.score).toBeCloseTo(scan[i].score, 5));
        }
      }
    }
    expect(readdirSync(frozen).some((n) => n.startsWith('adapted_'))).toBe(false);
    const keys = await Promise.all([linear, temporal].map(async (dir) => `adapted_${videoHeadKey(await loadAdapter(dir))}.lance`));
    expect(adaptedTables().sort()).toEqual(keys.sort());
    // And it differs from the frozen model's ranking (the test would prove nothing otherwise).
    const plain = await search(db, QUERIES[0]);
    expect((await search(db, QUERIES[0], ['--adapter', linear])).map((r) => r.segment)).not.toEqual(plain.map((r) => r.segment));
  });

  it('is what search reads: rows taken out of a copy marked current are not found, and a lost record rebuilds it', async () => {
    const catalog = await Catalog.open(db, { create: false });
    const store = catalog.adapted(videoHeadKey(await loadAdapter(linear)));
    const [a] = (await catalog.videos.all()).filter((v) => v.path.endsWith('a.mp4'));
    await store.segments.deleteVideos([a.id]);
    // The copy still records the index's state as current, so search trusts it (a scan would find a.mp4).
    expect(await search(db, QUERIES[0], ['--adapter', linear, '--video', a.id])).toEqual([]);
    await store.markUnsynced();
    const rebuilt = await search(db, QUERIES[0], ['--adapter', linear, '--video', a.id]);
    expect(rebuilt.map((r) => r.segment)).toEqual((await search(frozen, QUERIES[0], ['--adapter', linear, '--video', a.id], true)).map((r) => r.segment));
    expect(rebuilt).toHaveLength(10);
  });

  it('index --adapter builds the copy\'s ANN index past the threshold, and it finds what the exact search finds', async () => {
    const run = await vidlens(['index', join(root, 'b.mp4'), '--db', db, '--adapter', linear, '--json'], { env: { VIDLENS_ANN_THRESHOLD: '300' } });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as IndexRun;
    expect(summary.adapted).toEqual([{ adapter: linear, segments: 0, rows: 320, ann: 'built' }]);
    const catalog = await Catalog.open(db, { create: false });
    const store = catalog.adapted(videoHeadKey(await loadAdapter(linear)));
    expect(await store.ann.state()).toMatchObject({ kind: 'IVF_HNSW_SQ', indexedRows: 320, unindexedRows: 0 });
    for (const q of QUERIES) {
      for (const filter of [[], ['--domain', 'a']]) {
        // Every row re-ranked on its full vector (32 × k = 320): the tiny model's vectors are closer together
        // than the index's 8-bit codes resolve, so this checks the copy's search path, not its recall.
        const approximate = await search(db, q, ['--adapter', linear, ...filter], false, { VIDLENS_ANN_REFINE: '32' });
        const exact = await search(db, q, ['--adapter', linear, '--exact', ...filter]);
        expect(approximate.map((r) => r.segment).sort(), `${q} ${filter.join(' ')}`).toEqual(exact.map((r) => r.segment).sort());
      }
    }
  });

  it('follows the index: new videos, a new domain and pruned videos reach the copy before the next search', async () => {
    expect((await vidlens(['index', join(root, 'c.mp4'), '--db', db, '--domain', 'c'])).code).toBe(0);
    const info = async () => (await vidlensJson<{ adapted: Array<{ key: string; rows: number; current: boolean }> }>(['info', '--db', db])).json.adapted;
    const key = videoHeadKey(await loadAdapter(linear));
    expect((await info()).find((a) => a.key === key)).toMatchObject({ rows: 320, current: false });
    const found = await search(db, 'coloured bars', ['--adapter', linear, '--domain', 'c']);
    expect(found).toHaveLength(10);
    expect(found.every((r) => r.video.path.endsWith('c.mp4'))).toBe(true);
    expect((await info()).find((a) => a.key === key)).toMatchObject({ rows: 332, current: true });
    expect((await vidlens(['index', join(root, 'c.mp4'), '--db', db, '--domain', 'bars'])).code).toBe(0);
    const relabelled = await search(db, 'coloured bars', ['--adapter', linear, '--domain', 'bars']);
    expect(relabelled.map((r) => r.segment)).toEqual(found.map((r) => r.segment));
    expect(relabelled.every((r) => r.video.domain === 'bars')).toBe(true);
    rmSync(join(root, 'c.mp4'));
    expect((await vidlens(['prune', '--db', db])).code).toBe(0);
    const after = await vidlensJson<{ results: Hit[] }>(['search', 'coloured bars', '--db', db, '--k', '50', '--adapter', linear]);
    expect(after.json.results.some((r) => r.video.path.endsWith('c.mp4'))).toBe(false);
    const catalog = await Catalog.open(db, { create: false });
    expect(await catalog.adapted(videoHeadKey(await loadAdapter(linear))).segments.count()).toBe(320);
    expect(existsSync(join(db, `adapted_${videoHeadKey(await loadAdapter(linear))}.json`))).toBe(true);
  });

  it('optimize rebuilds a copy\'s ANN index and compacts the others; --drop-adapted removes them all, and the next search makes its copy again', async () => {
    const linearKey = videoHeadKey(await loadAdapter(linear));
    const temporalKey = videoHeadKey(await loadAdapter(temporal));
    const optimized = await vidlensJson<{ adapted: Array<{ key: string; action: string }> }>(['optimize', '--db', db]);
    expect(optimized.code, optimized.stderr).toBe(0);
    expect(new Map(optimized.json.adapted.map((a) => [a.key, a.action]))).toEqual(new Map([[linearKey, 'rebuilt'], [temporalKey, 'compacted']]));
    const catalog = await Catalog.open(db, { create: false });
    expect(await catalog.adapted(linearKey).ann.state()).toMatchObject({ indexedRows: 320, unindexedRows: 0 });
    const before = await search(db, QUERIES[0], ['--adapter', linear, '--exact']);
    const dropped = await vidlensJson<{ adapted: Array<{ key: string; action: string }> }>(['optimize', '--db', db, '--drop-adapted']);
    expect(dropped.json.adapted.map((a) => a.action)).toEqual(['dropped', 'dropped']);
    expect(adaptedTables()).toEqual([]);
    expect(readdirSync(db).filter((n) => n.startsWith('adapted_'))).toEqual([]);
    expect((await vidlensJson<{ adapted: unknown[] }>(['info', '--db', db])).json.adapted).toEqual([]);
    expect((await search(db, QUERIES[0], ['--adapter', linear, '--exact'])).map((r) => r.segment)).toEqual(before.map((r) => r.segment));
    expect(adaptedTables()).toHaveLength(1);
  });
});
