#!/usr/bin/env node
// npm run bench:adapted-search — search through a retrieval adapter at scale: N segments × 512-d
// (clustered synthetic vectors with video rows, bench/lib/clustered.mjs) and a linear adapter (identity
// plus noise, so it ranks differently). The product's search path (SearchService) with the adapter's
// stored copy of the vectors (its own ANN index), against plain search measured in the same run (the
// target: within 2×), and against the scan through the adapter that the copy replaces. Also the copy's
// first build, recall@10 against an exact search of the copy, and the cost of reading the video rows a
// search joins to. VIDLENS_BENCH_SEGMENTS sets N (default 1,000,000); VIDLENS_BENCH_DIR keeps the index
// (and the copy) for a later run.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANN_KIND, Catalog, Rng } from '../dist/index.js';
import { adapterSpec, adaptText, videoHeadKey } from '../dist/heads/adapter/adapter.js';
import { initialWeights } from '../dist/heads/spec.js';
import { adaptedForSearch, syncAdapted } from '../dist/indexing/adapted.js';
import { SearchService } from '../dist/search/search.js';
import { buildClustered, clusteredSampler, DIM, percentile, recall } from './lib/clustered.mjs';

const N = Number(process.env.VIDLENS_BENCH_SEGMENTS ?? 1_000_000);
const work = process.env.VIDLENS_BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'vidlens-bench-adapted-'));
const keep = Boolean(process.env.VIDLENS_BENCH_DIR);
const db = join(work, 'db');
const sample = clusteredSampler();
const sampleQuery = clusteredSampler(1);
const seconds = (t) => Number(((performance.now() - t) / 1000).toFixed(1));

const t0 = performance.now();
const catalog = existsSync(db) ? await Catalog.open(db, { create: false }) : await buildClustered(db, N, sample);
const writeSeconds = seconds(t0);
const t1 = performance.now();
const segmentsAnn = (await catalog.ann.state())?.kind === ANN_KIND ? 'existing' : await catalog.ann.build();
const annSeconds = seconds(t1);

const rng = new Rng(9);
const weights = initialWeights(adapterSpec(DIM), 1);
for (const w of Object.values(weights)) for (let i = 0; i < w.length; i++) w[i] += 0.05 * rng.normal();
// Both sides share one perturbation, as training aligns them: a query lands near the clips it matches.
// (With unrelated random text and video heads a query lands between clusters, where any ANN index loses recall.)
weights['text.weight'] = weights['video.weight'].slice();
weights['text.bias'] = weights['video.bias'].slice();
const adapter = { meta: { model: { id: 'bench:clustered-512', sha256: '0'.repeat(64), dim: DIM } }, weights };

const t2 = performance.now();
const synced = await syncAdapted(catalog, adapter);
const copySeconds = seconds(t2);
const store = catalog.adapted(videoHeadKey(adapter));

const encoder = { manifest: { id: 'bench:clustered-512', dim: DIM } };
const plain = new SearchService(encoder, catalog);
const adapted = new SearchService(encoder, catalog, adapter, undefined, undefined, () => adaptedForSearch(catalog, adapter));
const queries = Array.from({ length: 101 }, sampleQuery);
// Other queries, to warm both indexes' partitions up: the first queries after opening are many times slower.
const warmUp = Array.from({ length: 50 }, clusteredSampler(3));

/** Per-query latency of both services, alternated query by query (after a warm-up) so that cache and load hit both alike. */
async function timedPair(filter) {
  for (const q of warmUp) for (const service of [plain, adapted]) await service.searchEmbedded('bench', q, { k: 10, filter });
  const runs = [plain, adapted].map(() => ({ times: [], results: [] }));
  for (const [i, q] of queries.entries()) {
    for (const [s, service] of [plain, adapted].entries()) {
      const t = performance.now();
      const response = await service.searchEmbedded('bench', q, { k: 10, filter });
      if (i > 0) runs[s].times.push(performance.now() - t);
      runs[s].results.push(response.results.map((r) => r.segment));
    }
  }
  return runs.map((r) => ({ p50: percentile(r.times, 0.5), p99: percentile(r.times, 0.99), results: r.results }));
}

const filter = { domain: 'night' };
const [plainRun, adaptedRun] = await timedPair({});
const [plainFiltered, adaptedFiltered] = await timedPair(filter);
// Recall against exact searches of the same space: the segments for plain search, the copy for adapted.
const exactPlain = [];
const exactCopy = [];
for (const q of queries.slice(0, 21)) {
  exactPlain.push((await catalog.segments.search(q, 10, {}, { exact: true })).map((h) => h.segment.id));
  exactCopy.push((await store.segments.search(adaptText(adapter, q, DIM), 10, {}, { exact: true })).map((h) => h.segment.id));
}
// The path the copy replaces: every stored vector through the video head, in memory (two queries, and only up
// to 20,000 segments: at a million it takes many minutes per query).
const scan = new SearchService(encoder, catalog, adapter);
const scanTimes = [];
for (const q of N <= 20_000 ? queries.slice(0, 2) : []) {
  const t = performance.now();
  await scan.searchEmbedded('bench', q, { k: 10, filter: {} });
  scanTimes.push(performance.now() - t);
}

// What each search joins its hits to: every video row read per query (as before they were kept between
// commits) against the rows kept by table version (what SearchService reads now).
const joinTimes = { everyRow: [], keptByVersion: [] };
for (let i = 0; i < 21; i++) {
  for (const [name, read] of [['everyRow', () => catalog.videos.all()], ['keptByVersion', () => catalog.videos.byId()]]) {
    const t = performance.now();
    await read();
    joinTimes[name].push(performance.now() - t);
  }
}

const out = {
  date: new Date().toISOString().slice(0, 10), segments: await catalog.segments.count(), dim: DIM,
  writeSeconds, segmentsAnn, annSeconds,
  copy: { firstBuildSeconds: copySeconds, rows: synced.rows, adapted: synced.adapted, ann: synced.ann, annState: await store.ann.state() },
  plain: { p50: plainRun.p50, p99: plainRun.p99, filteredP50: plainFiltered.p50, filteredP99: plainFiltered.p99, recallAt10: recall(plainRun.results.slice(0, 21), exactPlain) },
  adapted: { p50: adaptedRun.p50, p99: adaptedRun.p99, filteredP50: adaptedFiltered.p50, filteredP99: adaptedFiltered.p99, recallAt10: recall(adaptedRun.results.slice(0, 21), exactCopy) },
  videoRowsP50: { videos: (await catalog.videos.all()).length, everyRow: percentile(joinTimes.everyRow, 0.5), keptByVersion: percentile(joinTimes.keptByVersion, 0.5) },
  scanThroughAdapter: scanTimes.length ? { ms: scanTimes } : 'not run above 20,000 segments',
};
out.ratio = { adaptedOverPlainP50: out.adapted.p50 / out.plain.p50, adaptedOverPlainFilteredP50: out.adapted.filteredP50 / out.plain.filteredP50, scanOverAdaptedP50: scanTimes.length ? Math.min(...scanTimes) / out.adapted.p50 : null };
out.targets = { within_2x_of_plain: out.ratio.adaptedOverPlainP50 <= 2 && out.ratio.adaptedOverPlainFilteredP50 <= 2 };
console.log(JSON.stringify(out, (k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(3)) : v), 2));
if (!keep) rmSync(work, { recursive: true, force: true });
