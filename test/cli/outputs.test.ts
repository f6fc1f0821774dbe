import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vidlens } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir();
const file = join(root, 'a-file');
const folder = join(root, 'a-folder');
writeFileSync(file, 'x');
mkdirSync(folder);
const dataset = join(root, 'clips.jsonl');
writeFileSync(dataset, '');

describe('output paths are checked before any work', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['model tiny onto a file', ['model', 'tiny', file], /DIR .*a-file: exists and is not a folder/],
    ['synth --out onto a file', ['synth', '--out', file], /--out .*a-file: exists and is not a folder/],
    ['eval retrieval --save-sim onto a folder', ['eval', 'retrieval', '--dataset', dataset, '--save-sim', folder], /--save-sim .*a-folder: is a folder; give a file name/],
    ['eval retrieval --save-sim into a missing folder', ['eval', 'retrieval', '--dataset', dataset, '--save-sim', join(root, 'nope', 's.npy')], /--save-sim .*s\.npy: the folder .*nope does not exist/],
    ['eval classify --out onto a file', ['eval', 'classify', '--dataset', dataset, '--out', file], /--out .*a-file: exists and is not a folder/],
    ['train retrieval --out onto a file', ['train', 'retrieval', '--dataset', dataset, '--out', file], /--out .*a-file: exists and is not a folder/],
    ['train readout --out onto a file', ['train', 'readout', '--dataset', dataset, '--label-prefix', 'x:', '--out', file], /--out .*a-file: exists and is not a folder/],
  ];
  for (const [name, args, message] of cases) {
    it(`refuses ${name} with exit 2`, async () => {
      const r = await vidlens(args[0] === 'eval' || args[0] === 'train' ? [...args, '--db', join(root, 'db')] : args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/unexpected error/);
    });
  }
});

describe('model tiny sizes are checked before anything is written', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--width', '130', '--heads', '4'], /--heads 4 does not divide the width 130/],
    [['--patch', '7'], /--patch 7 does not divide the image size 64/],
    [['--patch', '128'], /--patch 128 is larger than the image size 64/],
    [['--layers', '100000'], /--layers 100000 is above the limit of 48/],
    [['--image-size', '4096', '--patch', '8'], /--image-size 4096 is above the limit of 1024/],
  ];
  for (const [flags, message] of cases) {
    it(`refuses ${flags.join(' ')} with exit 2 and writes nothing`, async () => {
      const dir = join(root, `model-${flags.join('')}`);
      const r = await vidlens(['model', 'tiny', dir, ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/unexpected error/);
      expect(existsSync(dir)).toBe(false);
    });
  }
});
