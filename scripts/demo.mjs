#!/usr/bin/env node
// Offline demo on the synthetic benchmark: makes the tiny random-weight model, generates a small
// four-domain set with `vidlens synth`, indexes it per domain, searches it, and evaluates retrieval
// per domain — running the real CLI commands.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(process.cwd(), '.vidlens', 'demo');
const model = join(root, 'tiny-model');
const synth = join(root, 'synth');
const db = join(root, 'db');
const report = join(root, 'report');
const bin = join(import.meta.dirname, '..', 'bin', 'vidlens.js');
const DOMAINS = ['lab', 'factory', 'night', 'helmet'];

function run(args) {
  const shown = args.map((a) => (a.startsWith('/') ? relative(process.cwd(), a) : a)).map((a) => (a.includes(' ') ? JSON.stringify(a) : a));
  console.log(`\n$ vidlens ${shown.join(' ')}`);
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

rmSync(db, { recursive: true, force: true });
rmSync(synth, { recursive: true, force: true });
if (!existsSync(join(model, 'config.json'))) run(['model', 'tiny', model]);
run(['synth', '--out', synth, '--seed', '7', '--per-domain', '8']);
for (const domain of DOMAINS) run(['index', join(synth, 'videos', domain), '--db', db, '--model', model, '--domain', domain]);
run(['info', '--db', db]);
run(['search', 'a red circle moves to the left', '--db', db, '--k', '3']);
run(['search', 'a white square appears', '--db', db, '--k', '3', '--domain', 'night']);
run(['eval', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--relevancy', join(synth, 'relevancy.npy'), '--out', report]);

console.log(`
Open ${relative(process.cwd(), join(report, 'report.html'))} in a browser for the per-domain charts and the worst queries.

The tiny model has random weights: the pipeline above is real (ffmpeg decoding, ONNX Runtime
inference, LanceDB storage, cosine search, published metrics), but its rankings are near chance.
For meaningful search and evaluation, use a real model (downloaded once from the Hugging Face hub):

  npx vidlens index ~/footage --model Xenova/clip-vit-base-patch32 --db ./my-index
  npx vidlens search "worker tightens a bolt" --db ./my-index --k 5
  npx vidlens eval retrieval --db ./my-index --dataset my-clips.jsonl --out ./report
`);
