import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mirMetrics } from '../../src/eval/metrics/mir.js';
import { PARALLEL_MIR_ENTRIES } from '../../src/eval/mir-parallel.js';
import { mirJson } from '../../src/eval/mir-report.js';
import { transpose } from '../../src/util/matrix.js';
import { encodeNpy, readNpy } from '../../src/util/npy.js';
import { Rng } from '../../src/util/random.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const DATA = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'ek100');
function npy(name: string, rows: number[][], type: 'f32' | 'f64' = 'f64'): string {
  const path = join(dir, name);
  const flat = rows.flat();
  writeFileSync(path, encodeNpy({ data: type === 'f32' ? Float32Array.from(flat) : Float64Array.from(flat), rows: rows.length, cols: rows[0].length }));
  return path;
}

describe('vidlens metrics', () => {
  it('retrieval prints the contract JSON, with ties and an optional DSL row', async () => {
    const sim = npy('sim.npy', [[0.9, 0.1, 0.3], [0.8, 0.5, 0.2], [0.1, 0.2, 0.7]]);
    const { code, json } = await vidlensJson(['metrics', 'retrieval', '--sim', sim, '--dsl']);
    expect(code).toBe(0);
    expect(json.t2v).toEqual({ R1: (100 * 2) / 3, R5: 100, R10: 100, MedR: 1, MnR: 4 / 3 });
    expect(json.v2t).toMatchObject({ R1: 100, MedR: 1 });
    expect(json).toMatchObject({ ties: 'optimistic', n: 3, dsl: { temperature: 0.01 } });
    const average = await vidlensJson(['metrics', 'retrieval', '--sim', npy('tie.npy', [[0.5, 0.5], [0.2, 0.5]]), '--ties', 'average']);
    expect((average.json.t2v as { MnR: number }).MnR).toBe(1.25);
  });

  it('mir reproduces the official fixture, with null for the published NaN and a warning', async () => {
    const sim = npy('s.npy', [[1, 0.7, 0.4, 0], [0.3, 0.9, 0.6, 0.1], [0.2, 0.5, 0.8, 0.4]]);
    const rel = npy('r.npy', [[1, 0.5, 0.25, 0], [0, 1, 0.4, 0], [0.5, 0.3, 1, 0]]);
    const { code, json, stderr } = await vidlensJson<{ mAP: Record<string, number | null>; nDCG: Record<string, number | null>; warnings: string[] }>(['metrics', 'mir', '--sim', sim, '--rel', rel]);
    expect(code).toBe(0);
    expect(json.nDCG.v2t).toBeCloseTo(0.9371789900735429, 12);
    expect(json.mAP.v2t).toBe(1);
    expect(json.mAP.t2v).toBeNull();
    expect(json.nDCG.avg).toBeNull();
    expect(json.warnings).toHaveLength(2);
    expect(stderr).toMatch(/warning: mAP text→video/);
  });

  it('mir on a matrix large enough for worker threads gives the one-thread result, in both layouts', async () => {
    const rows = 1100;
    const cols = 1000;
    expect(rows * cols).toBeGreaterThan(PARALLEL_MIR_ENTRIES);
    const rng = new Rng(5);
    const sim = { data: Float32Array.from({ length: rows * cols }, () => rng.normal()), rows, cols };
    // Sparse soft relevance; the last video and the last sentence relate to nothing (the published NaN rows).
    const rel = { data: new Float32Array(rows * cols), rows, cols };
    for (let i = 0; i < rows - 1; i++) for (let j = 0; j < cols - 1; j++) if (rng.uniform() < 0.01) rel.data[i * cols + j] = [1, 0.5, 0.25][(i + j) % 3];
    const simPath = join(dir, 'big-sim.npy');
    const simT = join(dir, 'big-sim-t.npy');
    const relPath = join(dir, 'big-rel.npy');
    writeFileSync(simPath, encodeNpy(sim));
    writeFileSync(simT, encodeNpy(transpose(sim)));
    writeFileSync(relPath, encodeNpy(rel));
    const expected = JSON.parse(JSON.stringify(mirJson(mirMetrics(sim, rel))));
    expect(expected.warnings).toHaveLength(4);
    const plain = await vidlensJson(['metrics', 'mir', '--sim', simPath, '--relevancy', relPath]);
    const turned = await vidlensJson(['metrics', 'mir', '--sim', simT, '--relevancy', relPath, '--sim-layout', 'sentences-videos']);
    expect(plain.code).toBe(0);
    expect(plain.json).toEqual(expected);
    expect(turned.json).toEqual(expected);
  });

  it('ek100-relevancy writes the 9,668 × 3,842 float32 matrix', async () => {
    const out = join(dir, 'rel.npy');
    const { code, json } = await vidlensJson(['metrics', 'ek100-relevancy', '--videos', join(DATA, 'EPIC_100_retrieval_test.csv'), '--sentences', join(DATA, 'EPIC_100_retrieval_test_sentence.csv'), '--out', out]);
    expect(code).toBe(0);
    expect(json).toMatchObject({ rows: 9668, cols: 3842 });
    const m = await readNpy(out);
    expect(m.data).toBeInstanceOf(Float32Array);
    expect([m.rows, m.cols]).toEqual([9668, 3842]);
  });

  it('names the file and the problem for bad matrices, with exit code 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['metrics', 'retrieval', '--sim', npy('wide.npy', [[1, 2, 3], [4, 5, 6]])], /--sim .*wide\.npy: one caption per video needs a square matrix, got 2×3/],
      [['metrics', 'retrieval', '--sim', npy('nan.npy', [[1, NaN], [0, 1]], 'f32')], /nan\.npy: similarity matrix has a non-finite value NaN at row 0, column 1/],
      [['metrics', 'mir', '--sim', npy('a.npy', [[1, 2]]), '--relevancy', npy('b.npy', [[1], [0]])], /similarity is 1×2 but relevancy is 2×1/],
      [['metrics', 'mir', '--sim', npy('a2.npy', [[1, 2]])], /required option '--relevancy <file\.npy>' not specified/],
      [['metrics', 'mir', '--sim', npy('c.npy', [[1, 2]]), '--rel', npy('d.npy', [[1, 1.5]])], /d\.npy: relevancy 1\.5 at row 0, column 1 is outside \[0, 1\]/],
      [['metrics', 'retrieval', '--sim', join(import.meta.dirname, '..', 'fixtures', 'numpy-i64.npy')], /numpy-i64\.npy: dtype <i8 is not supported/],
      [['metrics', 'retrieval', '--sim', join(import.meta.dirname, '..', 'fixtures', 'numpy-f32-fortran.npy')], /Fortran-order/],
      [['metrics', 'retrieval'], /required option '--sim/],
    ];
    for (const [args, message] of cases) {
      const r = await vidlens(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
