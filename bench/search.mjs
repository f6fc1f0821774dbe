#!/usr/bin/env node
// npm run bench:search — vector search at scale: N segments × 512-d (clustered synthetic vectors,
// written through the store), the exact scan (baseline, same run) against the ANN index (IVF_PQ):
// p50/p99 per query after the first, recall@10 against the exact scan, with and without a domain
// filter; build time and disk size. VIDLENS_BENCH_SEGMENTS sets N (default 1,000,000).
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog, Rng } from '../dist/index.js';

const N = Number(process.env.VIDLENS_BENCH_SEGMENTS ?? 1_000_000);
const DIM = 512;
const CLUSTERS = 2000;
const DOMAINS = ['lab', 'factory', 'night', 'helmet'];
const work = process.env.VIDLENS_BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'vidlens-bench-search-'));
const keep = Boolean(process.env.VIDLENS_BENCH_DIR);
const db = join(work, 'db');
const rng = new Rng(5);

function unit(v) {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}
const centres = Array.from({ length: CLUSTERS }, () => unit(Float32Array.from({ length: DIM }, () => rng.normal())));
/** A point near a random centre (clustered like real embeddings, where near neighbours exist). */
function sample() {
  const c = centres[rng.int(CLUSTERS)];
  // Noise of norm ≈ 0.4 around a unit centre: cosine ≈ 0.93 to its centre.
  return unit(Float32Array.from(c, (x) => x + 0.0175 * rng.normal()));
}

const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

async function build() {
  const catalog = await Catalog.open(db, { create: true });
  await catalog.initialise({
    vidlens: 'bench', created: new Date().toISOString(),
    model: { id: 'bench:clustered-512', source: 'bench', sha256: '0'.repeat(64), dim: DIM, family: 'clip', frame: { size: 224, crop: true } },
    weights: [], sampling: { window: 4, stride: 4, frames: 1 }, tta: 'none', ann: null,
  });
  const chunk = 20_000;
  for (let start = 0; start < N; start += chunk) {
    const rows = [];
    for (let i = start; i < Math.min(N, start + chunk); i++) {
      const v = sample();
      const video = `v${Math.floor(i / 1000)}`;
      rows.push({ id: `${video}:${i % 1000}`, video_id: video, idx: i % 1000, start: 4 * (i % 1000), end: 4 * (i % 1000) + 4, domain: DOMAINS[Math.floor(i / 1000) % 4], model: 'bench', vector: v, frame_vectors: v, frame_times: Float32Array.of(2) });
    }
    await catalog.segments.add(rows);
  }
  return catalog;
}

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

const recall = (approx, exact) => approx.reduce((s, r, i) => s + r.filter((id) => exact[i].includes(id)).length / exact[i].length, 0) / approx.length;

const t0 = performance.now();
const catalog = existsSync(db) ? await Catalog.open(db, { create: false }) : await build();
const writeSeconds = (performance.now() - t0) / 1000;
const rows = await catalog.segments.count();
const queries = Array.from({ length: 201 }, sample);
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
