#!/usr/bin/env node
// npm run bench:position — how well the bundled pretrained model's frame vectors encode where the object is:
// a linear probe of the 3×3 column and row of the actor on single-object lab frames (seed 41, 240 clips),
// and zero-shot column from "a shape at the middle left / centre / right". Explains the left-vs-right readout.
import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writePretrainedModel, generateSynth, loadClipsJsonl, openIndex, clipFeatures, linearProbe, standardise, initTf } from '../dist/index.js';
await initTf();
const work = mkdtempSync(join(tmpdir(), 'vidlens-position-'));
await writePretrainedModel(join(work, 'm'));
await generateSynth({ out: join(work, 's'), seed: 41, perDomain: 240, domains: ['lab'], size: 128, fps: 8, seconds: 4 });
const data = await loadClipsJsonl(join(work, 's', 'clips.jsonl'));
const tracks = readFileSync(join(work, 's', 'tracks.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const { catalog, encoder } = await openIndex(join(work, 'db'), { model: join(work, 'm'), create: true });
const f = await clipFeatures(data.clips, data.path, encoder, catalog);
const dim = encoder.manifest.dim; const T = f.frames;
const rows = []; const colLabels = []; const rowLabels = []; const clipOf = [];
data.clips.forEach((c, i) => {
  if (!c.labels.includes('count:1')) return;
  for (let t = 0; t < T; t++) {
    const time = (t + 0.5) * (4 / T); const fr = Math.min(31, Math.floor(time * 8));
    const ctr = tracks[i].centers[fr]; if (!ctr) continue;
    rows.push(f.frameVectors.subarray((i * T + t) * dim, (i * T + t + 1) * dim));
    colLabels.push(Math.min(2, Math.floor(3 * ctr[0] / 128))); rowLabels.push(Math.min(2, Math.floor(3 * ctr[1] / 128))); clipOf.push(i);
  }
});
const X = new Float32Array(rows.length * dim); rows.forEach((r, k) => X.set(r, k * dim));
const idx = [...rows.keys()]; const train = idx.filter((k) => clipOf[k] % 5 !== 0); const val = idx.filter((k) => clipOf[k] % 5 === 0);
const Z = standardise(X, train, 1, dim);
for (const [name, labels] of [['column', colLabels], ['row', rowLabels]]) {
  const p = await linearProbe({ features: Z, dim, labels, classes: 3, train, val });
  console.log(`${name}: frames ${rows.length}, val accuracy ${(100 * p.valAccuracy).toFixed(1)} % (chance 33.3)`);
}
// Similarity of frame vectors to the text "at the middle left" etc.
const texts = ['a shape at the middle left', 'a shape at the centre', 'a shape at the middle right'];
const E = await encoder.embedTexts(texts);
let right = 0, n = 0;
rows.forEach((r, k) => { let best = -1, bs = -Infinity; for (let c = 0; c < 3; c++) { let s = 0; for (let d = 0; d < dim; d++) s += r[d] * E[c * dim + d]; if (s > bs) { bs = s; best = c; } } n++; if (best === colLabels[k]) right++; });
console.log(`zero-shot column from "a shape at the middle left/centre/right": ${(100 * right / n).toFixed(1)} %`);
await encoder.dispose();
rmSync(work, { recursive: true, force: true });
