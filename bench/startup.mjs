#!/usr/bin/env node
// npm run bench:startup — wall time of `vidlens --help` and of a small `vidlens metrics retrieval`
// run, against `node -e 0` measured in the same run (the target is < 0.3 s beyond it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'bin', 'vidlens.js');
const RUNS = 9;
const work = mkdtempSync(join(tmpdir(), 'vidlens-startup-'));

/** A 3 × 3 float32 .npy identity, enough for `metrics retrieval`. */
function writeIdentityNpy(path) {
  const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 3), }";
  const padded = header.padEnd(118 - 1, ' ') + '\n';
  const head = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0]), Buffer.from([padded.length & 255, padded.length >> 8]), Buffer.from(padded)]);
  writeFileSync(path, Buffer.concat([head, Buffer.from(new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]).buffer)]));
}

function median(args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    times.push((performance.now() - t) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

try {
  const sim = join(work, 'sim.npy');
  writeIdentityNpy(sim);
  const node = median(['-e', '0']);
  const rows = [
    ['vidlens --help', median([BIN, '--help'])],
    ['vidlens metrics retrieval --sim 3×3 --json', median([BIN, 'metrics', 'retrieval', '--sim', sim, '--json'])],
  ];
  console.log(`node -e 0: ${node.toFixed(3)} s (median of ${RUNS})`);
  for (const [label, s] of rows) console.log(`${label}: ${s.toFixed(3)} s, ${(s - node).toFixed(3)} s beyond node (target < 0.300), ratio ${(s / node).toFixed(2)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
