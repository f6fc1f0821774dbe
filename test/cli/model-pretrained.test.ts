import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_MODEL_DIR } from '../../src/models/bundled.js';
import { vidlens } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const MODEL_FILES = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/vision_model.onnx', 'onnx/text_model.onnx', 'pretraining.json'];

describe('vidlens model pretrained', () => {
  it('writes the bundled model, byte for byte, and it loads like any local model', async () => {
    const out = join(dir, 'model');
    const r = await vidlens(['model', 'pretrained', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files).toEqual(expect.arrayContaining(MODEL_FILES));
    for (const f of MODEL_FILES) expect(readFileSync(join(out, f)).equals(readFileSync(join(BUNDLED_MODEL_DIR, f)))).toBe(true);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.vidlens_pretrained.what).toMatch(/synthetic world/);

    const synth = join(dir, 'synth');
    expect((await vidlens(['synth', '--out', synth, '--per-domain', '2', '--domains', 'lab'])).code).toBe(0);
    const index = await vidlens(['index', join(synth, 'videos'), '--db', join(dir, 'db'), '--model', out, '--json']);
    expect(index.code, index.stderr).toBe(0);
    expect(JSON.parse(index.stdout).indexed).toBe(2);
  }, 60_000);

  it('refuses a non-empty folder unless --force, naming the folder', async () => {
    const out = join(dir, 'busy');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const r = await vidlens(['model', 'pretrained', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`DIR ${out}: is not empty (add --force`);
    const forced = await vidlens(['model', 'pretrained', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'onnx', 'text_model.onnx')).length).toBeGreaterThan(0);
  });

  it('refuses a file path and a place that cannot be written', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const onFile = await vidlens(['model', 'pretrained', file]);
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain(`DIR ${file}: exists and is not a folder`);
    const under = await vidlens(['model', 'pretrained', join(file, 'model')]);
    expect(under.code).toBe(2);
    expect(under.stderr).toContain('cannot be written');
    expect(under.stderr).not.toMatch(/\n\s+at /);
  });
});
