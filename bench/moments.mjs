#!/usr/bin/env node
// npm run bench:moments — `eval moments` over 1,000+ queries on an index of 10,000+ segments (tiny model),
// timed after the model is loaded: the whole run minus a model load measured in the same run.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLongSynth, loadEncoder, runEvalMoments, runIndex, writeTinyModel } from '../dist/index.js';

const work = process.env.VIDLENS_BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'vidlens-bench-moments-'));
const keep = Boolean(process.env.VIDLENS_BENCH_DIR);
const model = join(work, 'tiny');
const synth = join(work, 'long');
const db = join(work, 'db');

if (!existsSync(model)) await writeTinyModel(model);
if (!existsSync(join(synth, 'moments.jsonl'))) {
  await generateLongSynth({ out: synth, seed: 7, perDomain: 32, domains: ['lab', 'factory', 'night', 'helmet'], size: 64, fps: 8, scenes: 8 });
}
if (!existsSync(db)) await runIndex({ paths: [join(synth, 'videos')], db, model, sampling: { window: 0.5, stride: 0.5, frames: 2 } });
const queries = readFileSync(join(synth, 'moments.jsonl'), 'utf8').trim().split('\n').length;

const t0 = performance.now();
const { encoder } = await loadEncoder(model);
await encoder.embedTexts(['warm up']);
const loadSeconds = (performance.now() - t0) / 1000;
await encoder.dispose();

const results = [];
for (const scope of ['video', 'corpus']) {
  const t1 = performance.now();
  const report = await runEvalMoments({ db, dataset: join(synth, 'moments.jsonl'), scope });
  const seconds = (performance.now() - t1) / 1000;
  results.push({ scope, queries: report.dataset.n, seconds: Number(seconds.toFixed(2)), afterLoad: Number((seconds - loadSeconds).toFixed(2)), perQueryMs: Number(((1000 * (seconds - loadSeconds)) / report.dataset.n).toFixed(2)) });
}
const segments = (await import('../dist/index.js')).indexInfo;
const info = await segments(db);
console.log(JSON.stringify({ date: new Date().toISOString().slice(0, 10), segments: info.segments, videos: info.videos, queries, modelLoadSeconds: Number(loadSeconds.toFixed(2)), results, target: results.every((r) => r.afterLoad < 10) ? 'under 10 s after load: met' : 'under 10 s after load: missed' }, null, 2));
if (!keep) rmSync(work, { recursive: true, force: true });
