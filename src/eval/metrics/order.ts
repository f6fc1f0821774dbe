const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;
const MASK = BUCKETS - 1;
const KEY_MAX = (1 << (2 * DIGIT_BITS)) - 1;
/** Runs of equal keys longer than this are re-sorted with a native sort instead of insertion sort. */
const INSERTION_LIMIT = 32;

/**
 * Descending order of a row of scores, ties broken by lower index first, without comparator sorts
 * or allocation per row: each score is quantised to a 22-bit key over the row's own range (a
 * monotone map), keys are ordered by a stable two-pass LSD radix sort, and the rare runs of equal
 * keys are re-ordered by their exact scores. Exact for float32 and float64 rows.
 */
export class DescendingOrder {
  private readonly keysA: Uint32Array;
  private readonly keysB: Uint32Array;
  private readonly idxB: Uint32Array;
  private readonly c0 = new Uint32Array(BUCKETS);
  private readonly c1 = new Uint32Array(BUCKETS);
  readonly order: Uint32Array;

  constructor(readonly length: number) {
    this.keysA = new Uint32Array(length);
    this.keysB = new Uint32Array(length);
    this.idxB = new Uint32Array(length);
    this.order = new Uint32Array(length);
  }

  /** Fills and returns `order` with the indices of `row[offset .. offset+length)` from highest to lowest score. */
  compute(row: Float32Array | Float64Array, offset = 0): Uint32Array {
    const n = this.length;
    const { keysA, keysB, idxB, order, c0, c1 } = this;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = row[offset + i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    // Floor of an affine map with a non-negative slope: monotone, so a higher score never gets a lower key.
    const scale = max > min ? KEY_MAX / (max - min) : 0;
    c0.fill(0);
    c1.fill(0);
    for (let i = 0; i < n; i++) {
      const q = Math.min(KEY_MAX, Math.floor((row[offset + i] - min) * scale));
      const k = KEY_MAX - q;
      keysA[i] = k;
      c0[k & MASK]++;
      c1[k >>> DIGIT_BITS]++;
    }
    let s0 = 0;
    let s1 = 0;
    for (let d = 0; d < BUCKETS; d++) {
      const a = c0[d];
      const b = c1[d];
      c0[d] = s0;
      c1[d] = s1;
      s0 += a;
      s1 += b;
    }
    for (let i = 0; i < n; i++) {
      const k = keysA[i];
      const p = c0[k & MASK]++;
      keysB[p] = k;
      idxB[p] = i;
    }
    for (let i = 0; i < n; i++) {
      const k = keysB[i];
      const p = c1[k >>> DIGIT_BITS]++;
      keysA[p] = k;
      order[p] = idxB[i];
    }
    // Equal keys may hide different scores: order each run exactly (it is already index-ascending).
    for (let start = 0; start < n; ) {
      let end = start + 1;
      while (end < n && keysA[end] === keysA[start]) end++;
      if (end - start > 1) this.refine(row, offset, start, end);
      start = end;
    }
    return order;
  }

  private refine(row: Float32Array | Float64Array, offset: number, start: number, end: number): void {
    const order = this.order;
    let sorted = true;
    for (let i = start + 1; i < end && sorted; i++) if (row[offset + order[i]] > row[offset + order[i - 1]]) sorted = false;
    if (sorted) return;
    if (end - start <= INSERTION_LIMIT) {
      for (let i = start + 1; i < end; i++) {
        const idx = order[i];
        const v = row[offset + idx];
        let j = i - 1;
        while (j >= start && (row[offset + order[j]] < v || (row[offset + order[j]] === v && order[j] > idx))) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = idx;
      }
      return;
    }
    const run = Array.from(order.subarray(start, end));
    run.sort((a, b) => row[offset + b] - row[offset + a] || a - b);
    order.set(run, start);
  }
}
