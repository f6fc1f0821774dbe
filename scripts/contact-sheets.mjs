#!/usr/bin/env node
// Writes docs/synth-<domain>.png: for each domain, three clips (rows) × 8 frames (columns), decoded
// from the generated mp4 files. Usage: node scripts/contact-sheets.mjs [synth-dir]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeFrames, probeVideo } from '../dist/index.js';

const root = join(import.meta.dirname, '..');
const given = process.argv[2];
const dir = given ?? mkdtempSync(join(tmpdir(), 'vidlens-synth-'));
if (!given) execFileSync(process.execPath, [join(root, 'bin', 'vidlens.js'), 'synth', '--out', dir, '--seed', '7', '--per-domain', '3'], { stdio: 'inherit' });

const clips = readFileSync(join(dir, 'clips.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const columns = 8;
const size = 128;
const gap = 4;
for (const domain of [...new Set(clips.map((c) => c.domain))]) {
  const rows = clips.filter((c) => c.domain === domain).slice(0, 3);
  const composites = [];
  for (const [r, clip] of rows.entries()) {
    const info = await probeVideo(join(dir, clip.video));
    const times = Array.from({ length: columns }, (_, i) => ((i + 0.5) * info.duration) / columns);
    let c = 0;
    for await (const frame of decodeFrames(info, times, { size, crop: false })) {
      const png = await sharp(Buffer.from(frame.rgb), { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
      composites.push({ input: png, left: gap + c++ * (size + gap), top: gap + r * (size + gap) });
    }
  }
  const out = join(root, 'docs', `synth-${domain}.png`);
  await sharp({ create: { width: gap + columns * (size + gap), height: gap + rows.length * (size + gap), channels: 3, background: '#ffffff' } })
    .composite(composites)
    .png()
    .toFile(out);
  console.log(`wrote ${out}: ${rows.map((c) => c.captions[0]).join(' | ')}`);
}
if (!given) rmSync(dir, { recursive: true, force: true });
