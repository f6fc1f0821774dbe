import { firstNonFinite, transpose, type Matrix } from '../../util/matrix.js';
import { DescendingOrder } from './order.js';

/** One direction's mean, as published (NaN when any row is invalid) and over the valid rows only. */
export interface MirScore {
  /** The published mean: NaN as soon as one row is invalid. */
  value: number;
  /** The mean over valid rows. */
  validMean: number;
  /** Rows with no relevancy-1 entry (mAP) or no nonzero relevancy (nDCG). */
  invalidRows: number;
  rows: number;
}

export interface MirMetrics {
  mAP: { v2t: MirScore; t2v: MirScore; avg: number };
  nDCG: { v2t: MirScore; t2v: MirScore; avg: number };
  warnings: string[];
}

const LOG2 = Array.from({ length: 1 }, () => 0);
function discount(rank: number): number {
  // 1 / log2(rank + 1), cached for speed.
  while (LOG2.length <= rank) LOG2.push(1 / Math.log2(LOG2.length + 1));
  return LOG2[rank];
}

/**
 * Average precision of one row (EK100 MIR, REFERENCES §2): walk candidates by descending
 * similarity, keep a running sum of *graded* relevancies, and at each candidate whose relevancy is
 * exactly 1 add precision `cum/k`; divide by the number of relevancy-1 entries. Partial relevancies
 * raise precision without counting as hits ([0.5, 1.0] → 0.75). NaN when no entry equals 1.
 */
export function averagePrecision(order: ArrayLike<number>, rel: Float32Array | Float64Array, relOffset = 0, ones = Infinity): number {
  let cum = 0;
  let sum = 0;
  let hits = 0;
  // Once every relevancy-1 entry is found, later entries cannot change the AP: stop there.
  for (let k = 0; k < order.length && hits < ones; k++) {
    const r = rel[relOffset + order[k]];
    cum += r;
    if (r === 1) {
      sum += cum / (k + 1);
      hits++;
    }
  }
  return hits ? sum / hits : NaN;
}

/**
 * nDCG of one row (EK100 MIR): k = number of nonzero relevancies; DCG over the top-k candidates
 * by similarity, IDCG over the relevancies sorted descending; DCG/IDCG. NaN for an all-zero row.
 * `sortedRelDesc` holds the row's nonzero relevancies, sorted descending (so its length is k).
 */
export function ndcg(order: ArrayLike<number>, rel: Float32Array | Float64Array, relOffset: number, sortedRelDesc: Float64Array): number {
  const k = sortedRelDesc.length;
  let dcg = 0;
  let idcg = 0;
  for (let r = 0; r < k; r++) {
    dcg += rel[relOffset + order[r]] * discount(r + 1);
    idcg += sortedRelDesc[r] * discount(r + 1);
  }
  return dcg / idcg;
}

function summarise(values: Float64Array): MirScore {
  let sum = 0;
  let valid = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    sum += v;
    valid++;
  }
  const invalidRows = values.length - valid;
  return { value: invalidRows ? NaN : sum / values.length, validMean: valid ? sum / valid : NaN, invalidRows, rows: values.length };
}

const MAX_LEVELS = 64;

/**
 * The row's nonzero relevancies sorted descending. Graded relevance has few distinct levels
 * (EK100: a few dozen), so it counts levels and expands them; with more levels it sorts.
 */
class NonzeroSorter {
  private readonly values: Float64Array;
  private readonly levels = new Float64Array(MAX_LEVELS);
  private readonly counts = new Uint32Array(MAX_LEVELS);
  ones = 0;

  constructor(length: number) {
    this.values = new Float64Array(length);
  }

  sortedDescending(rel: Float32Array | Float64Array, offset: number, length: number): Float64Array {
    let k = 0;
    let nLevels = 0;
    let few = true;
    let ones = 0;
    for (let j = 0; j < length; j++) {
      const r = rel[offset + j];
      if (r <= 0) continue;
      if (r === 1) ones++;
      this.values[k++] = r;
      if (!few) continue;
      let l = 0;
      while (l < nLevels && this.levels[l] !== r) l++;
      if (l === nLevels) {
        if (nLevels === MAX_LEVELS) {
          few = false;
          continue;
        }
        this.levels[nLevels] = r;
        this.counts[nLevels++] = 0;
      }
      this.counts[l]++;
    }
    this.ones = ones;
    const out = this.values.subarray(0, k);
    if (!few) return out.sort().reverse();
    const order = Array.from({ length: nLevels }, (_, l) => l).sort((a, b) => this.levels[b] - this.levels[a]);
    let p = 0;
    for (const l of order) out.fill(this.levels[l], p, (p += this.counts[l]));
    return out;
  }
}

/** Per-row average precision and nDCG of one direction. */
export interface DirectionScores {
  ap: Float64Array;
  nd: Float64Array;
}

/**
 * mAP and nDCG of rows `from`..`to` of `sim` against `rel` (rows × the other side), in one sort per
 * row (all rows by default; a range lets threads share the work).
 */
export function directionScores(sim: Matrix, rel: Matrix, from = 0, to = sim.rows): DirectionScores {
  const { cols } = sim;
  const ap = new Float64Array(to - from);
  const nd = new Float64Array(to - from);
  const order = new DescendingOrder(cols);
  const sorter = new NonzeroSorter(cols);
  for (let i = from; i < to; i++) {
    const offset = i * cols;
    const o = order.compute(sim.data, offset);
    const sortedRel = sorter.sortedDescending(rel.data, offset, cols);
    ap[i - from] = averagePrecision(o, rel.data, offset, sorter.ones);
    nd[i - from] = ndcg(o, rel.data, offset, sortedRel);
  }
  return { ap, nd };
}

/** Refuses matrices of different shapes, a non-finite similarity and a relevancy outside [0, 1]. */
export function validateMir(sim: Matrix, rel: Matrix): void {
  if (sim.rows !== rel.rows || sim.cols !== rel.cols) {
    throw new RangeError(`similarity is ${sim.rows}×${sim.cols} but relevancy is ${rel.rows}×${rel.cols}`);
  }
  const bad = firstNonFinite(sim);
  if (bad) throw new RangeError(`similarity matrix has a non-finite value ${bad.value} at row ${bad.row}, column ${bad.col}`);
  for (let k = 0; k < rel.data.length; k++) {
    const r = rel.data[k];
    if (!(r >= 0 && r <= 1)) {
      throw new RangeError(`relevancy ${r} at row ${Math.floor(k / rel.cols)}, column ${k % rel.cols} is outside [0, 1]`);
    }
  }
}

/** How warnings name the two directions. */
export const DIRECTION_NAMES = { v2t: 'video→text', t2v: 'text→video' } as const;

/**
 * EPIC-KITCHENS-100 multi-instance retrieval metrics for `sim` (videos × sentences) and graded
 * relevancy `rel` of the same shape: video→text over rows, text→video over columns (k and IDCG
 * recomputed), and their averages. Ties in similarity are ordered by lower index first in both
 * metrics (the published code's order is platform-dependent). Invalid rows make the published
 * mean NaN; the mean over valid rows and their count are reported beside it, with a warning.
 */
export function mirMetrics(sim: Matrix, rel: Matrix): MirMetrics {
  validateMir(sim, rel);
  return mirFromScores(directionScores(sim, rel), directionScores(transpose(sim), transpose(rel)));
}

/** The published means, the means over valid rows and the warnings, from both directions' per-row scores. */
export function mirFromScores(v2t: DirectionScores, t2v: DirectionScores): MirMetrics {
  const mAP = { v2t: summarise(v2t.ap), t2v: summarise(t2v.ap), avg: 0 };
  const nDCG = { v2t: summarise(v2t.nd), t2v: summarise(t2v.nd), avg: 0 };
  mAP.avg = (mAP.v2t.value + mAP.t2v.value) / 2;
  nDCG.avg = (nDCG.v2t.value + nDCG.t2v.value) / 2;
  const warnings: string[] = [];
  const warn = (metric: string, name: string, s: MirScore, why: string) => {
    if (s.invalidRows) {
      warnings.push(`${metric} ${name}: ${s.invalidRows} of ${s.rows} rows have ${why}; the published mean is NaN, the mean over valid rows is ${s.validMean.toFixed(4)}`);
    }
  };
  warn('mAP', DIRECTION_NAMES.v2t, mAP.v2t, 'no relevancy-1 entry');
  warn('mAP', DIRECTION_NAMES.t2v, mAP.t2v, 'no relevancy-1 entry');
  warn('nDCG', DIRECTION_NAMES.v2t, nDCG.v2t, 'only zero relevancies');
  warn('nDCG', DIRECTION_NAMES.t2v, nDCG.t2v, 'only zero relevancies');
  return { mAP, nDCG, warnings };
}
