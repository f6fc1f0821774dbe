#!/usr/bin/env node
// npm run bench:search — vector search at scale: N segments × 512-d (clustered synthetic vectors,
// written through the store), the exact scan (baseline, same run) against the ANN index (IVF_PQ):
// p50/p99 per query after the first, recall@10 against the exact scan, with and without a domain
// filter; build time and disk size. VIDLENS_BENCH_SEGMENTS sets N (default 1,000,000).
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../dist/index.js';
import { buildClustered, clusteredSampler, DIM, percentile, recall } from './lib/clustered.mjs';

const N = Number(process.env.VIDLENS_BENCH_SEGMENTS ?? 1_000_000);
const work = process.env.VIDLENS_BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'vidlens-bench-search-'));
const keep = Boolean(process.env.VIDLENS_BENCH_DIR);
const db = join(work, 'db');
const sample = clusteredSampler();
const sampleQuery = clusteredSampler(1);

async function timeQueries(catalog, queries, options) {
  const times = [];
  const results = [];
  for (const [i, q] of queries.entries()) {
    const t0 = performance.now();
    const hits = await catalog.segments.search(q, 10, options.filter ?? {}, { exact: options.exact, nprobes: options.nprobes, refineFactor: options.refineFactor });
    if (i > 0 || queries.length === 1) times.push(performance.now() - t0);
    results.push(hits.map((h) => h.segment.id));
  }
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), results };
}

const t0 = performance.now();
const catalog = existsSync(db) ? await Catalog.open(db, { create: false }) : await buildClustered(db, N, sample);
const writeSeconds = (performance.now() - t0) / 1000;
const rows = await catalog.segments.count();
const queries = Array.from({ length: 201 }, sampleQuery);
const exactQueries = queries.slice(0, 21);
const filter = { domain: 'night' };
const exact = await timeQueries(catalog, exactQueries, { exact: true });
const exactFiltered = await timeQueries(catalog, exactQueries, { exact: true, filter });
const diskBefore = execSync(`du -sm ${db}`).toString().split('\t')[0];
const t1 = performance.now();
const built = (await catalog.ann.state()) ? null : await catalog.ann.build(DIM);
const buildSeconds = (performance.now() - t1) / 1000;
const diskAfter = execSync(`du -sm ${db}`).toString().split('\t')[0];
const ann = await timeQueries(catalog, queries, {});
const annFiltered = await timeQueries(catalog, queries, { filter });
const out = {
  date: new Date().toISOString().slice(0, 10), segments: rows, dim: DIM, writeSeconds: Number(writeSeconds.toFixed(1)),
  ann: built ?? 'existing', buildSeconds: Number(buildSeconds.toFixed(1)), diskMB: { before: Number(diskBefore), after: Number(diskAfter) },
  exact: { p50: exact.p50, p99: exact.p99, filteredP50: exactFiltered.p50, filteredP99: exactFiltered.p99 },
  annSearch: {
    p50: ann.p50, p99: ann.p99, recallAt10: recall(ann.results.slice(0, 21), exact.results),
    filteredP50: annFiltered.p50, filteredP99: annFiltered.p99, filteredRecallAt10: recall(annFiltered.results.slice(0, 21), exactFiltered.results),
  },
};
out.speedup = Number((out.exact.p50 / out.annSearch.p50).toFixed(1));
// The recall–latency curve: partitions probed per query and candidates re-ranked on full vectors (× k).
out.curve = [];
for (const [nprobes, refineFactor] of [[16, 10], [32, 10], [64, 10], [16, 50], [32, 50], [32, 100], [64, 100]]) {
  const run = await timeQueries(catalog, queries.slice(0, 61), { nprobes, refineFactor });
  out.curve.push({ nprobes, refineFactor, p50: run.p50, p99: run.p99, recallAt10: recall(run.results.slice(0, 21), exact.results) });
}
out.targets = { p50_le_15ms: ann.p50 <= 15, p99_le_50ms: ann.p99 <= 50, recall_ge_0_95: out.annSearch.recallAt10 >= 0.95 && out.annSearch.filteredRecallAt10 >= 0.95 };
console.log(JSON.stringify(out, (k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(3)) : v), 2));
if (!keep) rmSync(work, { recursive: true, force: true });
