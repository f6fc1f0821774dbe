#!/usr/bin/env node
// npm run bench:writer-steps — what every indexing run (and so every queued job) does under the index
// lock, at a large index: the plan step (orphan sweep, reconcile, claims) and the end step (release,
// sweep again), with no video to index. Baseline in the same run: counting every segment's video id in
// JavaScript, which is what each of the two sweeps did before LanceDB evaluated the filter. Uses the folder of
// `bench:search` (VIDLENS_BENCH_DIR, 1,000,000 segments of 1,000 videos there) or builds one of
// VIDLENS_BENCH_SEGMENTS (default 1,000,000).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { Catalog } from '../dist/index.js';
import { IndexRun } from '../dist/indexing/commit.js';
import { buildClustered, clusteredSampler, percentile } from './lib/clustered.mjs';

const N = Number(process.env.VIDLENS_BENCH_SEGMENTS ?? 1_000_000);
const work = process.env.VIDLENS_BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'vidlens-bench-writer-'));
const db = join(work, 'db');
const catalog = existsSync(db) ? await Catalog.open(db, { create: false }) : await buildClustered(db, N, clusteredSampler());

const ms = (t) => performance.now() - t;
const plan = [];
const end = [];
const listing = [];
const table = await (await lancedb.connect(db)).openTable('segments');
for (let r = 0; r < 5; r++) {
  const run = await IndexRun.begin(catalog);
  let t = performance.now();
  await run.plan([]);
  plan.push(ms(t));
  t = performance.now();
  await run.end();
  end.push(ms(t));
  t = performance.now();
  const perVideo = new Map();
  for (const row of await table.query().select(['video_id']).toArray()) perVideo.set(String(row.video_id), (perVideo.get(String(row.video_id)) ?? 0) + 1);
  listing.push(ms(t));
}
const median = (xs) => percentile(xs, 0.5);
const out = {
  date: new Date().toISOString().slice(0, 10),
  segments: await catalog.segments.count(),
  videos: (await catalog.videos.all()).length,
  planMs: Number(median(plan).toFixed(1)),
  endMs: Number(median(end).toFixed(1)),
  baselineSweepMs: Number(median(listing).toFixed(1)),
  // Before, each of the two steps listed every segment's video id once.
  speedup: Number(((2 * median(listing)) / (median(plan) + median(end))).toFixed(1)),
};
console.log(JSON.stringify(out, null, 2));
if (!process.env.VIDLENS_BENCH_DIR) rmSync(work, { recursive: true, force: true });
