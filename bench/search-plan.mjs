#!/usr/bin/env node
// npm run bench:search-plan — where an ANN query's time goes: LanceDB's executed plan (`analyzePlan`) of the
// product's search (`SegmentTable.search`, shipped defaults, k = 10) over the table `bench:search` kept in
// VIDLENS_BENCH_DIR, as the median over 21 new queries (after a 50-query warm-up) of: the whole query inside
// LanceDB, the IVF routing and graph search (a prefilter's row mask included), reading the candidates' full
// vectors for the re-ranking, reading the filter's column for a postfiltered search's rows, reading the
// results' columns, and a prefilter's scalar-index lookup.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from '../dist/index.js';
import { clusteredSampler, percentile } from './lib/clustered.mjs';

const dir = process.env.VIDLENS_BENCH_DIR;
if (!dir || !existsSync(join(dir, 'db'))) {
  console.error('VIDLENS_BENCH_DIR must name a folder kept by `VIDLENS_BENCH_DIR=DIR npm run bench:search`');
  process.exit(2);
}
const catalog = await Catalog.open(join(dir, 'db'), { create: false });
const UNIT = { ns: 1e-6, µs: 1e-3, ms: 1, s: 1000 };

/** Each operator of the plan, top-down, with its elapsed milliseconds (its children included) and its line. */
function operators(plan) {
  return [...plan.matchAll(/^\s*(\w+)[: ]([^\n]*?)elapsed=([\d.]+)(ns|µs|ms|s)[^\n]*$/gm)].map((m) => ({ op: m[1], line: m[0], ms: Number(m[3]) * UNIT[m[4]] }));
}

function breakdown(plan) {
  const ops = operators(plan);
  const find = (op, test = () => true) => ops.find((o) => o.op === op && test(o.line))?.ms;
  const sorts = ops.filter((o) => o.op === 'SortExec');
  // A broad filter runs after the graph search (store/ann.ts POSTFILTER_OVERSAMPLE): its column is read for the deeper list's rows.
  const filterTake = find('Take', (l) => l.includes('(domain)') && !l.includes('(id)'));
  return {
    total: find('AnalyzeExec'),
    graphSearch: find('ANNSubIndex'),
    reRankingRead: find('Take', (l) => l.includes('(vector)')) - sorts.at(-1).ms,
    postfilterRead: filterTake === undefined ? 0 : filterTake - sorts.at(-2).ms,
    resultColumnsRead: find('Take', (l) => l.includes('(id)')) - find('GlobalLimitExec'),
    filterMask: find('ScalarIndexQuery') ?? 0,
  };
}

for (const q of Array.from({ length: 50 }, clusteredSampler(3))) await catalog.segments.search(q, 10);
const out = { date: new Date().toISOString().slice(0, 10), segments: await catalog.segments.count() };
for (const [name, filter, stream] of [['plain', {}, 40], ['filtered', { domain: 'night' }, 41]]) {
  const runs = [];
  for (const q of Array.from({ length: 21 }, clusteredSampler(stream))) runs.push(breakdown(await catalog.segments.analyze(q, 10, filter)));
  out[name] = Object.fromEntries(Object.keys(runs[0]).map((key) => [key, Number(percentile(runs.map((r) => r[key]), 0.5).toFixed(2))]));
}
console.log(JSON.stringify(out, null, 2));
