#!/usr/bin/env node
// npm run bench:ann-recall — recall@10 of the ANN index on what it serves: caption queries of a trained
// model (the bundled one) against segments of synthetic clips it never saw (seed 21), across the
// modality gap, with and without a domain filter; the exact scan of the same run is the reference. A hit
// counts when it scores as high as the exact 10th (identical frames tie). The curve shows what the
// graph search's breadth (ef) and the re-ranking (refine) buy. VIDLENS_BENCH_PER_DOMAIN sets the clips
// per domain (default 250: 16,000 segments of 0.25 s).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog, hitsAtExactKth, loadEncoder } from '../dist/index.js';
import { percentile } from './lib/clustered.mjs';

const PER_DOMAIN = Number(process.env.VIDLENS_BENCH_PER_DOMAIN ?? 250);
const DOMAINS = ['lab', 'factory', 'night', 'helmet'];
const work = mkdtempSync(join(tmpdir(), 'vidlens-bench-ann-recall-'));
const bin = join(import.meta.dirname, '..', 'bin', 'vidlens.js');

function vidlens(args) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vidlens ${args.join(' ')}: ${r.stderr}`);
}

const model = join(work, 'model');
const db = join(work, 'db');
vidlens(['model', 'pretrained', model]);
vidlens(['synth', '--out', join(work, 'synth'), '--per-domain', String(PER_DOMAIN), '--seed', '21']);
const videos = readdirSync(join(work, 'synth', 'videos'));
for (const domain of DOMAINS) {
  const files = videos.filter((f) => f.startsWith(domain)).map((f) => join(work, 'synth', 'videos', f));
  vidlens(['index', ...files, '--db', db, '--model', model, '--window', '0.25', '--frames', '1', '--domain', domain]);
}
const catalog = await Catalog.open(db, { create: false });
const t0 = performance.now();
const built = await catalog.ann.build();
const buildSeconds = (performance.now() - t0) / 1000;

const lines = readFileSync(join(work, 'synth', 'captions.jsonl'), 'utf8').trim().split('\n');
const captions = [...new Set(lines.map((l) => JSON.parse(l).caption))].slice(0, 100);
const { encoder } = await loadEncoder(model);
const embedded = await encoder.embedTexts(captions);
const dim = embedded.length / captions.length;
await encoder.dispose();
const queries = captions.map((_, i) => embedded.subarray(i * dim, (i + 1) * dim));

async function run(filter, options) {
  const times = [];
  const results = [];
  for (const [i, q] of queries.entries()) {
    const t = performance.now();
    results.push(await catalog.segments.search(q, 10, filter, options));
    if (i > 0) times.push(performance.now() - t);
  }
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), results };
}
const recall = (results, exact) => results.reduce((n, hits, i) => n + hitsAtExactKth(hits, exact[i], 10), 0) / (10 * results.length);

const out = { date: new Date().toISOString().slice(0, 10), segments: built.rows, dim, captions: queries.length, ann: built, buildSeconds: Number(buildSeconds.toFixed(1)), searches: {}, curve: [] };
for (const [name, filter] of [['all', {}], ['lab', { domain: 'lab' }]]) {
  const exact = await run(filter, { exact: true });
  const ann = await run(filter, {});
  out.searches[name] = { exactP50: exact.p50, annP50: ann.p50, annP99: ann.p99, recallAt10: recall(ann.results, exact.results) };
  if (name !== 'all') continue;
  for (const [refineFactor, ef] of [[1, 100], [5, 100], [10, 100], [5, 200], [10, 200], [10, 400], [20, 400]]) {
    const point = await run(filter, { refineFactor, ef });
    out.curve.push({ refineFactor, ef, p50: point.p50, recallAt10: recall(point.results, exact.results) });
  }
}
console.log(JSON.stringify(out, (k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(3)) : v), 2));
rmSync(work, { recursive: true, force: true });
