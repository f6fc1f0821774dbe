import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readWeightFolder, writeWeightFolder } from '../../src/models/weight-folder.js';
import { tempDir } from '../helpers/tmp.js';

const folder = { meta: 'thing.json', what: 'a thing', command: 'vidlens make thing' };
const schema = z.object({ n: z.number().int().positive() });
const sizes = (m: { n: number }) => [m.n, 2];

describe('weight folders (adapters, rerankers, classifiers)', () => {
  it('round-trips metadata and float32 parts in order', async () => {
    const dir = join(tempDir(), 'ok');
    await writeWeightFolder(dir, folder, { n: 3 }, [Float32Array.from([1, 2, 3]), Float32Array.from([-1, 0.5])]);
    const { meta, parts } = await readWeightFolder('--thing', dir, folder, schema, sizes);
    expect(meta).toEqual({ n: 3 });
    expect(parts.map((p) => Array.from(p))).toEqual([[1, 2, 3], [-1, 0.5]]);
  });

  it('names the flag, the folder and the problem for every kind of bad folder', async () => {
    const root = tempDir();
    const make = (name: string, meta: string | null, bytes: number) => {
      const dir = join(root, name);
      mkdirSync(dir, { recursive: true });
      if (meta !== null) writeFileSync(join(dir, 'thing.json'), meta);
      writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(bytes));
      return dir;
    };
    const cases: Array<[string, RegExp]> = [
      [make('missing', null, 20), /--thing .*missing: not a thing folder \(expected thing\.json and weights\.bin; see 'vidlens make thing'\)/],
      [make('json', '{oops', 20), /--thing .*json: thing\.json is not JSON/],
      [make('schema', '{"n": -1}', 20), /--thing .*schema: thing\.json is not valid \(n: /],
      [make('short', '{"n": 3}', 16), /--thing .*short: weights\.bin has 16 bytes, expected 20 for the shapes in thing\.json/],
    ];
    for (const [dir, message] of cases) await expect(readWeightFolder('--thing', dir, folder, schema, sizes)).rejects.toThrow(message);
  });
});
