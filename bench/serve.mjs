#!/usr/bin/env node
// npm run bench:serve — 16 concurrent clients for 30 s against `vidlens serve` on an index of 10,000
// segments (tiny model): latency percentiles, throughput and errors; then the same while index jobs
// run on the server. Baseline, measured in the same run: one `vidlens search` CLI call (a fresh
// process that loads the model), which every search paid before the server.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { mediaBinaries, runIndex, writeTinyModel } from '../dist/index.js';

const BIN = resolve(import.meta.dirname, '..', 'bin', 'vidlens.js');
const work = process.env.VIDLENS_BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'vidlens-bench-serve-'));
const keep = Boolean(process.env.VIDLENS_BENCH_DIR);
const seconds = Number(process.env.VIDLENS_BENCH_SECONDS ?? 30);
const connections = 16;
const { ffmpeg } = mediaBinaries();

/** A test-pattern video; `hue` makes its content (and so its content-derived id) its own. */
function makeVideo(path, duration, pattern, hue) {
  if (existsSync(path)) return;
  const r = spawnSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `${pattern}=size=96x96:rate=5:duration=${duration},hue=h=${hue}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path]);
  if (r.status !== 0) throw new Error(`ffmpeg: ${r.stderr}`);
}

const WORDS = ['red', 'green', 'blue', 'circle', 'square', 'moving', 'left', 'right', 'bright', 'dark', 'stripes', 'numbers', 'a person', 'a machine', 'the top corner'];
const queries = WORDS.flatMap((a) => WORDS.map((b) => `${a} ${b}`));

function load(url, label) {
  let i = 0;
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/search?q=${encodeURIComponent(queries[i++ % queries.length])}&k=10` }) }],
  }).then((r) => ({
    label,
    requests: r.requests.total,
    throughput: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.timeouts + r.non2xx,
  }));
}

async function main() {
  const model = join(work, 'tiny');
  const db = join(work, 'db');
  if (!existsSync(model)) await writeTinyModel(model);
  mkdirSync(join(work, 'videos'), { recursive: true });
  // 5 videos × 800 s in 0.4 s windows of one frame: 10,000 segments.
  const videos = [0, 1, 2, 3, 4].map((i) => join(work, 'videos', `long-${i}.mp4`));
  videos.forEach((v, i) => makeVideo(v, 800, i % 2 ? 'testsrc2' : 'testsrc', 20 * i));
  // Always a fresh index: the jobs of an earlier run added to it.
  rmSync(db, { recursive: true, force: true });
  await runIndex({ paths: videos, db, model, sampling: { window: 0.4, stride: 0.4, frames: 1 } });
  // Folders of new videos for the index jobs of the second phase.
  const jobRoot = join(work, 'jobs');
  for (let j = 0; j < 6; j++) {
    mkdirSync(join(jobRoot, `batch-${j}`), { recursive: true });
    for (let k = 0; k < 3; k++) makeVideo(join(jobRoot, `batch-${j}`, `clip-${k}.mp4`), 240, k % 2 ? 'testsrc2' : 'testsrc', 100 + 15 * (3 * j + k));
  }

  const cli = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const out = spawnSync(process.execPath, [BIN, 'search', queries[r], '--db', db, '--k', '10']);
    if (out.status !== 0) throw new Error(`vidlens search: ${out.stderr}`);
    cli.push(performance.now() - t0);
  }
  const cliMs = cli.sort((a, b) => a - b)[1];

  const server = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', '--job-root', jobRoot], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((ok, fail) => {
    let out = '';
    server.stdout.on('data', (c) => {
      out += c;
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) ok(m[1]);
    });
    server.on('close', (code) => fail(new Error(`serve exited ${code}`)));
  });
  try {
    const segments = (await (await fetch(`${url}/api/info`)).json()).segments;
    await load(url, 'warm-up').catch(() => undefined);
    const idle = await load(url, 'no job');

    // Keep an index job running for the whole phase: when one ends, start the next folder.
    let running = true;
    const jobs = [];
    const keepIndexing = (async () => {
      for (let j = 0; running && j < 6; j++) {
        const job = await (await fetch(`${url}/api/jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ path: join(jobRoot, `batch-${j}`) }) })).json();
        await (await fetch(`${url}/api/jobs/${job.id}/events`)).text();
        jobs.push(await (await fetch(`${url}/api/jobs/${job.id}`)).json());
      }
    })();
    const busy = await load(url, 'index job running');
    running = false;
    await keepIndexing;

    const result = {
      date: new Date().toISOString().slice(0, 10),
      segments, connections, seconds,
      baseline_cli_search_ms: Math.round(cliMs),
      phases: [idle, busy].map((p) => ({ ...p, cli_over_p50: Number((cliMs / Math.max(p.p50, 1)).toFixed(1)) })),
      jobs: jobs.map((j) => ({ state: j.state, indexed: j.summary?.indexed, segments: j.summary?.segments, seconds: j.summary?.seconds })),
      targets: { p50_under_30ms: idle.p50 < 30, p99_under_150ms: idle.p99 < 150, no_errors_during_job: busy.errors === 0 && idle.errors === 0 },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    server.kill('SIGTERM');
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

await main();
