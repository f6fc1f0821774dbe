#!/usr/bin/env node
// npm run bench:metrics — EK100 MIR (mAP + nDCG, both directions) on a random 9,668 × 3,842 float32
// similarity with the real relevancy, and retrieval metrics on a random 10,000 × 10,000 matrix.
// Each time is also given as a ratio to one copy of the same matrix measured in the same run. Then
// `vidlens metrics mir` end to end (start-up, reading both .npy files, two threads) on the same matrices,
// against the node start-up and the one-thread computation measured in the same run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ek100Relevancy, loadEk100Mir, mirMetrics, retrievalMetrics, writeNpy } from '../dist/index.js';

const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data', 'ek100');

function random(rows, cols, seed) {
  let s = seed >>> 0;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 4294967296 - 0.5;
  }
  return { data, rows, cols };
}

function time(fn, repeats = 3) {
  let best = Infinity;
  let result;
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    result = fn();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return { seconds: best, result };
}

const ek = await loadEk100Mir(join(DATA, 'EPIC_100_retrieval_test.csv'), join(DATA, 'EPIC_100_retrieval_test_sentence.csv'));
const rel = ek100Relevancy(ek);
const sim = random(rel.rows, rel.cols, 7);
const copyMir = time(() => sim.data.slice());
const mir = time(() => mirMetrics(sim, rel));
console.log(`MIR ${rel.rows}×${rel.cols} float32: ${mir.seconds.toFixed(2)} s (bound 3 s) ${mir.seconds < 3 ? 'PASS' : 'FAIL'}` +
  ` — ${(mir.seconds / copyMir.seconds).toFixed(0)}× one matrix copy (${(copyMir.seconds * 1000).toFixed(1)} ms);` +
  ` mAP avg ${mir.result.mAP.avg.toFixed(4)}, nDCG avg ${mir.result.nDCG.avg.toFixed(4)}`);

const big = random(10000, 10000, 11);
const copyRet = time(() => big.data.slice());
const ret = time(() => retrievalMetrics(big));
console.log(`retrieval 10000×10000 float32: ${ret.seconds.toFixed(2)} s (bound 3 s) ${ret.seconds < 3 ? 'PASS' : 'FAIL'}` +
  ` — ${(ret.seconds / copyRet.seconds).toFixed(0)}× one matrix copy (${(copyRet.seconds * 1000).toFixed(1)} ms); t2v R@1 ${ret.result.t2v.R1.toFixed(2)}`);

const work = mkdtempSync(join(tmpdir(), 'vidlens-bench-metrics-'));
await writeNpy(join(work, 'sim.npy'), sim);
await writeNpy(join(work, 'rel.npy'), rel);
const bin = join(import.meta.dirname, '..', 'bin', 'vidlens.js');
const wall = (args) => time(() => {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
});
const node = wall(['-e', '']);
const cli = wall([bin, 'metrics', 'mir', '--sim', join(work, 'sim.npy'), '--relevancy', join(work, 'rel.npy'), '--json']);
const same = JSON.parse(cli.result).mAP.avg === mir.result.mAP.avg;
console.log(`vidlens metrics mir ${rel.rows}×${rel.cols} end to end: ${cli.seconds.toFixed(2)} s wall (bound 3 s) ${cli.seconds < 3 ? 'PASS' : 'FAIL'}` +
  ` — ${(cli.seconds / mir.seconds).toFixed(2)}× the one-thread computation alone, node start-up ${(node.seconds * 1000).toFixed(0)} ms; same mAP as in-process: ${same}`);
rmSync(work, { recursive: true, force: true });
