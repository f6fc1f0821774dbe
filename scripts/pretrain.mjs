#!/usr/bin/env node
// npm run model:pretrain — trains the bundled model (models/synth-clip) from scratch on the synthetic
// lab domain, seeded and reproducible. Writes to a temporary folder and renames it into place, so an
// interrupted run never leaves a half-written model. `--quick` trains a small one for a smoke test;
// `--recipe no-mirror|previous|no-patch-loss|infonce --out DIR` trains one of the recipes BENCHMARKS.md compares (PRETRAIN_RECIPES);
// it needs `--out`, so that a recipe that is not the bundled one never replaces the bundled model.
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUNDLED_MODEL_DIR, PRETRAIN_DEFAULTS, PRETRAIN_RECIPES, pretrainClip, writePretrained } from '../dist/index.js';

const quick = process.argv.includes('--quick');
const outIndex = process.argv.indexOf('--out');
const target = outIndex > 0 ? process.argv[outIndex + 1] : BUNDLED_MODEL_DIR;
const recipeIndex = process.argv.indexOf('--recipe');
const recipeName = recipeIndex > 0 ? process.argv[recipeIndex + 1] : 'default';
const recipe = Object.hasOwn(PRETRAIN_RECIPES, recipeName ?? '') ? PRETRAIN_RECIPES[recipeName] : undefined;
if (!recipe) {
  console.error(`--recipe ${recipeName}: unknown (use one of ${Object.keys(PRETRAIN_RECIPES).join(', ')})`);
  process.exit(2);
}
if (recipe !== PRETRAIN_DEFAULTS && outIndex < 0) {
  console.error(`--recipe ${recipeName}: needs --out DIR (only the default recipe writes the bundled model, ${BUNDLED_MODEL_DIR})`);
  process.exit(2);
}
const options = quick ? { ...recipe, clips: 60, heldOutClips: 8, epochs: 1, batch: 32 } : recipe;

const parent = dirname(target);
const stem = `.${target.split('/').pop()}.partial-`;
for (const name of readdirSync(parent)) if (name.startsWith(stem)) rmSync(join(parent, name), { recursive: true, force: true });
const partial = join(parent, `${stem}${process.pid}`);
const removePartial = () => rmSync(partial, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    removePartial();
    console.error(`\ninterrupted: ${target} is unchanged`);
    process.exit(130);
  });
}

const started = performance.now();
let shown = 0;
const result = await pretrainClip({
  ...options,
  onLog: (line) => console.log(line),
  onProgress: (p) => {
    if (performance.now() - shown < 15_000 && p.done !== p.total) return;
    shown = performance.now();
    console.log(`  ${p.task}: ${p.done}/${p.total} ${p.unit}${p.item ? ` (${p.item})` : ''}`);
  },
});
const seconds = (performance.now() - started) / 1000;
try {
  await writePretrained(partial, result, options, seconds);
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
} catch (error) {
  removePartial();
  throw error;
}
console.log(`pretrained in ${(seconds / 60).toFixed(1)} min on ${result.data.trainFrames} frames; wrote ${target}`);
