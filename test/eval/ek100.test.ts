import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ek100Relevancy, loadEk100Mir, type Ek100Mir } from '../../src/eval/datasets/ek100.js';
import type { Matrix } from '../../src/util/matrix.js';
import { matrix } from '../../src/util/matrix.js';
import { mirMetrics } from '../../src/eval/metrics/mir.js';

const DATA = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'ek100');

describe('EPIC-KITCHENS-100 MIR loader on the real CSVs', () => {
  let data: Ek100Mir;
  let rel: Matrix;
  beforeAll(async () => {
    data = await loadEk100Mir(join(DATA, 'EPIC_100_retrieval_test.csv'), join(DATA, 'EPIC_100_retrieval_test_sentence.csv'));
    rel = ek100Relevancy(data);
  });

  it('builds a 9,668 × 3,842 relevancy matrix with values in [0, 1]', () => {
    expect([rel.rows, rel.cols]).toEqual([9668, 3842]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of rel.data) [min, max] = [Math.min(min, v), Math.max(max, v)];
    expect([min, max]).toEqual([0, 1]);
  });

  it('takes only values ½·[verb match] + ½·(a noun-set IoU)', () => {
    const distinct = new Set(rel.data);
    const allowed = new Set<number>();
    for (const verb of [0, 0.5]) for (let q = 1; q <= 12; q++) for (let p = 0; p <= q; p++) allowed.add(Math.fround(verb + (0.5 * p) / q));
    for (const v of distinct) expect(allowed.has(v)).toBe(true);
    for (const v of [0, 0.25, Math.fround(0.5 / 3), 0.5, 0.75, 1]) expect(distinct.has(Math.fround(v))).toBe(true);
  });

  it('gives each sentence column relevancy 1 at the clip with its narration_id', () => {
    data.sentences.forEach((s, j) => expect(rel.data[s.clip * rel.cols + j]).toBe(1));
  });

  it('gives every clip whose narration_id is among the sentences at least one relevancy-1 entry', () => {
    const covered = new Set(data.sentences.map((s) => s.clip));
    for (const i of covered) {
      let ones = 0;
      for (let j = 0; j < rel.cols; j++) if (rel.data[i * rel.cols + j] === 1) ones++;
      expect(ones).toBeGreaterThanOrEqual(1);
    }
  });

  it('matches a hand-computed entry: "take plate" vs the sentence of "put down plate" = 0.5', () => {
    const j = data.sentences.findIndex((s) => s.narrationId === 'P01_11_1');
    expect(data.clips[0].narration).toBe('take plate');
    expect(rel.data[0 * rel.cols + j]).toBe(0.5);
  });

  it('embeds the clip narration, not the sentence text: 6 of the last 7 sentence rows differ', () => {
    const differing = data.sentences.map((s, j) => (s.text !== s.fileText ? j : -1)).filter((j) => j >= 0);
    expect(differing).toHaveLength(6);
    for (const j of differing) expect(j).toBeGreaterThanOrEqual(data.sentences.length - 7);
  });
});

describe('MIR metrics against an independent numpy implementation', () => {
  it('agree on a 40 × 40 slice of the real relevancy with random similarities and ties', () => {
    const f = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'ek100-mir-subset.json'), 'utf8')) as {
      sim: number[][];
      rel: number[][];
      mAP_v2t: number;
      mAP_t2v: number;
      nDCG_v2t: number;
      nDCG_t2v: number;
    };
    const toMatrix = (rows: number[][]) => matrix(Float64Array.from(rows.flat()), rows.length, rows[0].length);
    const r = mirMetrics(toMatrix(f.sim), toMatrix(f.rel));
    expect(r.mAP.v2t.value).toBeCloseTo(f.mAP_v2t, 12);
    expect(r.mAP.t2v.value).toBeCloseTo(f.mAP_t2v, 12);
    expect(r.nDCG.v2t.value).toBeCloseTo(f.nDCG_v2t, 12);
    expect(r.nDCG.t2v.value).toBeCloseTo(f.nDCG_t2v, 12);
  });
});
