#!/usr/bin/env node
// Offline demo: makes the tiny random-weight model, generates a few videos with ffmpeg's test
// sources, indexes them and searches them, running the real CLI commands.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mediaBinaries } from '../dist/media/binaries.js';

const root = join(process.cwd(), '.vidlens', 'demo');
const model = join(root, 'tiny-model');
const videos = join(root, 'videos');
const db = join(root, 'db');
const bin = join(import.meta.dirname, '..', 'bin', 'vidlens.js');

const SOURCES = [
  ['test-pattern.mp4', 'testsrc=duration=12:size=320x240:rate=15'],
  ['colour-bars.mp4', 'smptebars=duration=8:size=320x240:rate=15'],
  ['fractal-zoom.mp4', 'mandelbrot=size=320x240:rate=15,trim=duration=10'],
  ['game-of-life.mp4', 'life=size=320x240:rate=15:mold=10:ratio=0.2:death_color=#C83232:life_color=#00ff00,trim=duration=10'],
];

function run(args, { show = true } = {}) {
  if (show) console.log(`\n$ vidlens ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' });
  if (result.status !== 0 && result.status !== 1) process.exit(result.status ?? 1);
}

rmSync(db, { recursive: true, force: true });
mkdirSync(videos, { recursive: true });
if (!existsSync(join(model, 'config.json'))) run(['model', 'tiny', model]);
const { ffmpeg } = mediaBinaries();
for (const [name, source] of SOURCES) {
  const out = join(videos, name);
  if (existsSync(out)) continue;
  const r = spawnSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', source, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', out]);
  if (r.status !== 0) throw new Error(`ffmpeg could not make ${name}: ${r.stderr}`);
}
console.log(`generated ${SOURCES.length} videos in ${videos}`);

run(['index', videos, '--db', db, '--model', model, '--domain', 'demo']);
run(['info', '--db', db]);
run(['search', 'colour bars', '--db', db, '--k', '3']);
run(['search', 'cells growing on a grid', '--db', db, '--k', '3', '--json']);

console.log(`
The tiny model has random weights: the pipeline above is real (ffmpeg decoding, ONNX Runtime
inference, LanceDB storage, cosine search), but its rankings carry no meaning.
For meaningful search, index with a real model (downloaded once from the Hugging Face hub):

  npx vidlens index ~/footage --model Xenova/clip-vit-base-patch32 --db ./my-index
  npx vidlens search "worker tightens a bolt" --db ./my-index --k 5
`);
