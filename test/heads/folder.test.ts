import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adapterSpec } from '../../src/heads/adapter/adapter.js';
import { loadAdapter } from '../../src/heads/adapter/store.js';
import { readHeadFolder, writeHeadFolder, type HeadKind } from '../../src/heads/folder.js';
import { loadClassifier } from '../../src/heads/readout/classifier.js';
import { rerankerSpec } from '../../src/heads/reranker/reranker.js';
import { loadReranker } from '../../src/heads/reranker/store.js';
import { randomWeights, sizeOf, type HeadSpec } from '../../src/heads/spec.js';
import { tempDir } from '../helpers/tmp.js';

const thing: HeadKind<{ n: number }> = {
  kind: 'thing',
  what: 'a thing',
  command: 'vidlens make thing',
  meta: z.object({ n: z.number().int().positive() }),
  spec: (m): HeadSpec => [{ name: 'a', shape: [m.n], init: 'zeros' }, { name: 'b', shape: [2, 1], init: 'zeros' }],
};

const root = tempDir();
const model = { id: 'local:tiny', sha256: 'a'.repeat(64), dim: 4 };
const dataset = { path: 'x', sha256: 'x', train: 1, val: 1 };
const floats = (...parts: Float32Array[]) => Buffer.concat(parts.map((p) => Buffer.from(p.buffer)));

describe('head folders (one self-describing format)', () => {
  it('round-trips metadata and named tensors, and identifies the weights by their hash', async () => {
    const dir = join(root, 'ok');
    await writeHeadFolder(dir, thing, { n: 3 }, { a: Float32Array.from([1, 2, 3]), b: Float32Array.from([-1, 0.5]) });
    const head = JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8'));
    expect(head).toMatchObject({ format: 'vidlens-head', version: 1, kind: 'thing', tensors: [{ name: 'a', shape: [3] }, { name: 'b', shape: [2, 1] }], meta: { n: 3 } });
    const { meta, weights, sha256 } = await readHeadFolder('--thing', dir, thing);
    expect(meta).toEqual({ n: 3 });
    expect(Array.from(weights.a)).toEqual([1, 2, 3]);
    expect(Array.from(weights.b)).toEqual([-1, 0.5]);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the flag, the folder and the problem for every kind of bad folder', async () => {
    const make = (name: string, head: unknown, bytes: number) => {
      const dir = join(root, name);
      mkdirSync(dir, { recursive: true });
      if (head !== null) writeFileSync(join(dir, 'head.json'), typeof head === 'string' ? head : JSON.stringify(head));
      writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(bytes));
      return dir;
    };
    const file = (meta: unknown, tensors = [{ name: 'a', shape: [3] }, { name: 'b', shape: [2, 1] }], kind = 'thing') => ({ format: 'vidlens-head', version: 1, kind, tensors, meta });
    const cases: Array<[string, RegExp]> = [
      [make('missing', null, 20), /--thing .*missing: not a thing folder \(expected head\.json and weights\.bin; see 'vidlens make thing'\)/],
      [make('json', '{oops', 20), /--thing .*json: head\.json is not JSON/],
      [make('format', { format: 'other' }, 20), /--thing .*format: head\.json is not valid \(format: /],
      [make('kind', file({ n: 3 }, undefined, 'reranker'), 20), /--thing .*kind: holds a reranker, not a thing/],
      [make('schema', file({ n: -1 }), 20), /--thing .*schema: head\.json is not valid \(n: /],
      [make('short', file({ n: 3 }), 16), /--thing .*short: weights\.bin has 16 bytes, expected 20 for the tensors in head\.json/],
      [make('spec', file({ n: 2 }, [{ name: 'a', shape: [3] }, { name: 'b', shape: [2, 1] }]), 20), /--thing .*spec: weights\.bin does not hold the tensors head\.json describes \(a \(2\)\)/],
    ];
    for (const [dir, message] of cases) await expect(readHeadFolder('--thing', dir, thing)).rejects.toThrow(message);
  });

  it('loads an adapter folder of the earlier layout (positional weights, linear heads stored out × in)', async () => {
    const dir = join(root, 'legacy-adapter');
    mkdirSync(dir);
    const dim = 4;
    const meta = { kind: 'retrieval', vidlens: '0.1.0', created: 'then', model, loss: 'infonce', config: {}, dataset, validation: { metric: 'x', history: [], best: 0, bestEpoch: 0, zeroShot: 0 }, temporal: { steps: 2, width: 3 } };
    writeFileSync(join(dir, 'adapter.json'), JSON.stringify(meta));
    const outIn = Float32Array.from({ length: dim * dim }, (_, i) => i); // row o, column i = o·dim + i
    const rest = adapterSpec(dim, meta.temporal).slice(1).map((t) => Float32Array.from({ length: sizeOf(t.shape) }, (_, i) => i + 0.5));
    const [tb, vw, vb, ...temporal] = rest;
    writeFileSync(join(dir, 'weights.bin'), floats(outIn, tb, vw, vb, ...temporal));
    const adapter = await loadAdapter(dir);
    expect(adapter.temporal).toEqual({ steps: 2, width: 3 });
    // Now in × out: row i, column o holds what was W[o][i].
    expect(adapter.weights['text.weight'][1 * dim + 2]).toBe(outIn[2 * dim + 1]);
    expect(Array.from(adapter.weights['temporal.wo'])).toEqual(Array.from(temporal[4]));
  });

  it('loads reranker and classifier folders of the earlier layout, and names a short one', async () => {
    const shape = { dim: 4, steps: 2, width: 4, heads: 2, hidden: 8 };
    const spec = rerankerSpec(shape);
    const weights = randomWeights(spec, 1);
    const meta = { kind: 'reranker', vidlens: '0.1.0', created: 'then', model, shape, config: {}, dataset, validation: { metric: 'x', history: [], best: 0, bestEpoch: 0, firstStage: 0 } };
    const rdir = join(root, 'legacy-reranker');
    mkdirSync(rdir);
    writeFileSync(join(rdir, 'reranker.json'), JSON.stringify(meta));
    writeFileSync(join(rdir, 'weights.bin'), floats(...spec.map((t) => weights[t.name])));
    const loaded = await loadReranker(rdir);
    expect(Array.from(loaded.reranker.weights['video.ffn.w3'])).toEqual(Array.from(weights['video.ffn.w3']));
    writeFileSync(join(rdir, 'weights.bin'), floats(...spec.slice(1).map((t) => weights[t.name])));
    await expect(loadReranker(rdir)).rejects.toThrow(/--reranker .*legacy-reranker: reranker\.json describes \d+ weights, but weights\.bin holds \d+/);

    const cdir = join(root, 'legacy-classifier');
    mkdirSync(cdir);
    const tensors = [{ name: 'w', shape: [4, 2] }, { name: 'b', shape: [2] }, { name: 'standard.mean', shape: [4] }, { name: 'standard.scale', shape: [4] }];
    const cmeta = { kind: 'classifier', head: 'probe', vidlens: '0.1.0', created: 'then', model, labelPrefix: 'c:', classes: ['c:a', 'c:b'], steps: 2, config: {}, dataset, validation: { metric: 'x', best: 0, bestEpoch: null }, tensors };
    writeFileSync(join(cdir, 'classifier.json'), JSON.stringify(cmeta));
    writeFileSync(join(cdir, 'weights.bin'), floats(...tensors.map((t, k) => Float32Array.from({ length: sizeOf(t.shape) }, () => k))));
    const classifier = await loadClassifier(cdir);
    expect(Array.from(classifier.weights['standard.scale'])).toEqual([3, 3, 3, 3]);
    expect(classifier.meta.classes).toEqual(['c:a', 'c:b']);
  });
});
