import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
function jsonl(name: string, rows: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

describe('vidlens metrics tracking', () => {
  it('prints the STIR accuracies, pooling query points and counting an unpredicted clip as missed', async () => {
    const gt = jsonl('track-gt.jsonl', [
      { id: 'a', endpoints: [[0.5, 0.5], [0.1, 0.1]], valid: [true, false] },
      { id: 'b', endpoints: [[0.2, 0.2]] },
    ]);
    // a: one point 6 px right of the valid end point (within 8, not 4), one 1 px from the invalid one (nearest valid is far).
    const pred = jsonl('track-pred.jsonl', [{ id: 'a', points: [[0.5 + 6 / 1280, 0.5], [0.1 + 1 / 1280, 0.1]] }, { id: 'zzz', points: [[0, 0]] }]);
    const { code, json, stderr } = await vidlensJson(['metrics', 'tracking', '--pred', pred, '--gt', gt]);
    expect(code).toBe(0);
    expect(json).toEqual({ acc: { '4': 0, '8': 100 / 3, '16': 100 / 3, '32': 100 / 3, '64': 100 / 3 }, average: (4 * 100) / 3 / 5, n: 3 });
    expect(stderr).toMatch(/no predictions for 1 of 2 ground-truth ids \(e\.g\. id b\); each of their tracks counts as missed/);
    expect(stderr).toMatch(/1 id\(s\) not in --gt .* were ignored \(e\.g\. zzz\)/);
    const text = await vidlens(['metrics', 'tracking', '--pred', pred, '--gt', gt]);
    expect(text.stdout).toMatch(/≤8px 33\.33 .*average 26\.67 {2}\(n=3 query points\)/);
  });

  it('names the file, line and reason for bad records, with exit code 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--gt', jsonl('g1.jsonl', [{ id: 1, endpoints: [[1.5, 0]] }]), '--pred', jsonl('p1.jsonl', [{ id: 1, points: [] }])], /g1\.jsonl:1: endpoints\.0\.0: .*1/],
      [['--gt', jsonl('g2.jsonl', [{ id: 1, endpoints: [[0, 0]], valid: [true, false] }]), '--pred', jsonl('p2.jsonl', [{ id: 1, points: [] }])], /g2\.jsonl:1: .*"valid" needs one entry per end point/],
      [['--gt', jsonl('g3.jsonl', [{ id: 1, endpoints: [[0, 0]] }]), '--pred', jsonl('p3.jsonl', [{ id: 1, points: [[0, 0]] }, { id: '1', points: [[0, 0]] }])], /p3\.jsonl:2: id 1 appears twice \(first on line 1\)/],
    ];
    for (const [args, message] of cases) {
      const r = await vidlens(['metrics', 'tracking', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('vidlens metrics forecast', () => {
  const twelve = (f: (t: number) => number) => Array.from({ length: 12 }, (_, t) => f(t));

  it('prints RMSE per step and the SciVid headline; --leads picks the steps', async () => {
    const gt = jsonl('fc-gt.jsonl', [{ id: 1, values: twelve((t) => t + 1) }, { id: 2, values: twelve(() => 0) }]);
    const pred = jsonl('fc-pred.jsonl', [{ id: 1, values: twelve(() => 0) }, { id: 2, values: twelve(() => 0) }]);
    const { code, json } = await vidlensJson<{ rmse: Record<string, number>; headline: number; leads: number[]; n: number }>(['metrics', 'forecast', '--pred', pred, '--gt', gt]);
    expect(code).toBe(0);
    expect(json.rmse['11']).toBeCloseTo(12 / Math.SQRT2, 12);
    expect(json.headline).toBeCloseTo(((1 + 2 + 3 + 6 + 12) / 5) / Math.SQRT2, 12);
    expect(json).toMatchObject({ leads: [0, 1, 2, 5, 11], n: 2 });
    const first = await vidlensJson<{ headline: number }>(['metrics', 'forecast', '--pred', pred, '--gt', gt, '--leads', '0']);
    expect(first.json.headline).toBeCloseTo(1 / Math.SQRT2, 12);
    const vectors = jsonl('fc-vec.jsonl', [{ id: 'v', values: [[0, 0], [0, 0]] }]);
    const vecPred = jsonl('fc-vec-pred.jsonl', [{ id: 'v', values: [[3, 4], [6, 8]] }]);
    expect((await vidlensJson<{ rmse: Record<string, number> }>(['metrics', 'forecast', '--pred', vecPred, '--gt', vectors, '--leads', '0,1'])).json.rmse).toEqual({ '0': 5, '1': 10 });
  });

  it('refuses leads beyond the forecast, missing forecasts and uneven steps, naming the flag or file', async () => {
    const gt = jsonl('six-gt.jsonl', [{ id: 'a', values: [1, 2, 3, 4, 5, 6] }, { id: 'b', values: [1, 2, 3, 4, 5, 6] }]);
    const pred = jsonl('six-pred.jsonl', [{ id: 'a', values: [1, 2, 3, 4, 5, 6] }, { id: 'b', values: [1, 2, 3] }]);
    const onlyA = jsonl('six-a.jsonl', [{ id: 'a', values: [1, 2, 3, 4, 5, 6] }]);
    const full = jsonl('six-full.jsonl', [{ id: 'a', values: [0, 0, 0, 0, 0, 0] }, { id: 'b', values: [0, 0, 0, 0, 0, 0] }]);
    const cases: Array<[string[], RegExp]> = [
      [['--pred', full, '--gt', gt], /--leads 0,1,2,5,11: step 11 is beyond the forecasts, which have 6 steps \(0–5\)/],
      [['--pred', full, '--gt', gt, '--leads', '0,x'], /--leads.*expected whole numbers ≥ 0 separated by commas/],
      [['--pred', full, '--gt', gt, '--leads', '1,1'], /--leads.*expected each number once/],
      [['--pred', onlyA, '--gt', gt, '--leads', '0'], /--pred .*six-a\.jsonl: no predictions for 1 of 2 ids of --gt .*six-gt\.jsonl \(e\.g\. id b\)/],
      [['--pred', pred, '--gt', gt, '--leads', '0'], /six-pred\.jsonl:2: id b forecasts 3 steps, its truth has 6/],
      [['--pred', full, '--gt', jsonl('mixed.jsonl', [{ id: 'a', values: [1, [2, 3]] }]), '--leads', '0'], /mixed\.jsonl:1: values/],
    ];
    for (const [args, message] of cases) {
      const r = await vidlens(['metrics', 'forecast', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
