import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

describe('the offline demo (npm run demo)', () => {
  it('generates, indexes, searches and evaluates the synthetic set per domain', () => {
    const cwd = tempDir();
    const script = join(import.meta.dirname, '..', '..', 'scripts', 'demo.mjs');
    const r = spawnSync(process.execPath, [script], { cwd, encoding: 'utf8', timeout: 170_000 });
    expect(r.status, r.stderr).toBe(0);
    for (const domain of ['lab', 'factory', 'night', 'helmet']) expect(r.stdout).toMatch(new RegExp(`^${domain}\\s+t2v R@1`, 'm'));
    expect(r.stdout).toMatch(/random weights/);
    expect(existsSync(join(cwd, '.vidlens', 'demo', 'report', 'report.html'))).toBe(true);
  }, 180_000);
});
