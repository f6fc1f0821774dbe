import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', '..', 'src');

/**
 * The layer order of docs/architecture.md, lowest first. A module may import its own layer's
 * folder and any lower layer; folders of one rank may not import each other unless listed below.
 */
const RANK: Record<string, number> = {
  core: 0,
  util: 0.5,
  media: 1,
  models: 2,
  heads: 3,
  store: 4,
  indexing: 5,
  features: 6,
  search: 7, eval: 7, train: 7, qa: 7, tasks: 7, synth: 7,
  app: 8,
  cli: 9, server: 9,
};
/** Same-rank imports that are part of the design: training and QA report with eval's metrics; pretraining learns the synthetic world; moment evaluation scores the spans search returns; `vidlens serve` starts the server. */
const ALLOWED_SIDEWAYS = new Set(['train→eval', 'qa→eval', 'train→synth', 'eval→search', 'cli→server']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const layerOf = (path: string) => relative(SRC, path).split('/')[0].replace(/\.ts$/, '');

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\()\s*'(\.[^']+)'/g)].map((m) => m[1]);
  return specs.map((s) => resolve(dirname(file), s));
}

describe('layering', () => {
  const all = files(SRC);

  it('knows the layer of every source folder', () => {
    const unknown = [...new Set(all.map(layerOf))].filter((l) => !(l in RANK) && l !== 'index');
    expect(unknown).toEqual([]);
  });

  it('never imports a higher layer, nor a same-rank sibling outside the design', () => {
    const violations: string[] = [];
    for (const file of all) {
      const from = layerOf(file);
      if (from === 'index') continue; // the public API re-exports every layer
      for (const target of imports(file)) {
        const to = layerOf(target);
        if (to === from || !(to in RANK)) continue;
        const upward = RANK[to] > RANK[from];
        const sideways = RANK[to] === RANK[from] && !ALLOWED_SIDEWAYS.has(`${from}→${to}`);
        if (upward || sideways) violations.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps every source file under 300 lines', () => {
    const long = all.filter((f) => readFileSync(f, 'utf8').split('\n').length > 300).map((f) => relative(SRC, f));
    expect(long).toEqual([]);
  });
});
