import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'pretrain.mjs');

describe('npm run model:pretrain', () => {
  const dir = tempDir();
  const out = join(dir, 'model');

  it('writes a complete model folder (a quick run)', () => {
    const r = spawnSync(process.execPath, [SCRIPT, '--quick', '--out', out], { encoding: 'utf8', timeout: 170_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^epoch 1: loss \d/m);
    for (const f of ['config.json', 'tokenizer.json', 'onnx/vision_model.onnx', 'onnx/text_model.onnx', 'pretraining.json']) expect(readFileSync(join(out, f)).length).toBeGreaterThan(0);
    const record = JSON.parse(readFileSync(join(out, 'pretraining.json'), 'utf8')) as { history: unknown[]; data: { trainFrames: number } };
    expect(record.history).toHaveLength(1);
    expect(record.data.trainFrames).toBeGreaterThan(0);
  }, 180_000);

  it('leaves the existing model untouched and no partial folder when interrupted', async () => {
    const before = readFileSync(join(out, 'onnx', 'vision_model.onnx'));
    const child = spawn(process.execPath, [SCRIPT, '--quick', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Interrupt once the frames are rendered and training starts.
    await new Promise<void>((resolve) => child.stdout.on('data', (c: Buffer) => { if (/rendering pretraining clips: (\d+)\/\1/.test(c.toString())) resolve(); }));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain(`interrupted: ${out} is unchanged`);
    expect(readFileSync(join(out, 'onnx', 'vision_model.onnx')).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.includes('partial'))).toEqual([]);
  }, 180_000);

  it('names an unknown --recipe, and a non-default one without --out, and exits 2, writing nothing', () => {
    const bogus = spawnSync(process.execPath, [SCRIPT, '--recipe', 'bogus', '--out', join(dir, 'never')], { encoding: 'utf8' });
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toContain('--recipe bogus: unknown (use one of default, no-mirror, previous, no-patch-loss, infonce)');
    expect(readdirSync(dir)).not.toContain('never');
    const noOut = spawnSync(process.execPath, [SCRIPT, '--recipe', 'infonce', '--quick'], { encoding: 'utf8' });
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toContain('--recipe infonce: needs --out DIR (only the default recipe writes the bundled model');
  });

  it('--recipe infonce trains with InfoNCE alone, as it says (a quick run)', () => {
    const plainDir = join(dir, 'infonce');
    const r = spawnSync(process.execPath, [SCRIPT, '--quick', '--recipe', 'infonce', '--out', plainDir], { encoding: 'utf8', timeout: 170_000 });
    expect(r.status, r.stderr).toBe(0);
    type PretrainingJson = { options: { attributeWeights: { [k: string]: number }; patchWeight: number } };
    const plain = JSON.parse(readFileSync(join(plainDir, 'pretraining.json'), 'utf8')) as PretrainingJson;
    expect(plain.options.attributeWeights).toEqual({ shape: 0, color: 0, size: 0 });
    expect(plain.options.patchWeight).toBe(0);
    const bundled = JSON.parse(readFileSync(join(out, 'pretraining.json'), 'utf8')) as PretrainingJson;
    expect(bundled.options.attributeWeights).toEqual({ shape: 4, color: 1, size: 2 });
    expect(bundled.options.patchWeight).toBe(1);
  }, 180_000);
});
