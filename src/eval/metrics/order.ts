/**
 * Descending order of a row of scores, ties broken by lower index first (stable), computed with
 * native typed-array sorts instead of a comparator: each (score, index) pair is packed into one
 * float64 key whose numeric order is the wanted order. float32 scores use their order-preserving
 * bit pattern (32 bits) above a 21-bit reversed index; float64 scores are first replaced by their
 * dense rank among the row's distinct values. Exact for rows of up to 2,097,152 entries.
 */
export class DescendingOrder {
  private readonly keys: Float64Array;
  private readonly bits: Uint32Array;
  private readonly f32: Float32Array;
  private readonly distinct: Float64Array;
  readonly order: Uint32Array;

  constructor(readonly length: number) {
    if (length > 1 << 21) throw new Error(`rows of ${length} entries exceed the ordering limit of ${1 << 21}`);
    this.keys = new Float64Array(length);
    this.f32 = new Float32Array(1);
    this.bits = new Uint32Array(this.f32.buffer);
    this.distinct = new Float64Array(length);
    this.order = new Uint32Array(length);
  }

  /** Fills and returns `order` with the indices of `row[offset .. offset+length)` from highest to lowest score. */
  compute(row: Float32Array | Float64Array, offset = 0): Uint32Array {
    const n = this.length;
    const maxIndex = (1 << 21) - 1;
    if (row instanceof Float32Array) {
      for (let i = 0; i < n; i++) {
        const v = row[offset + i];
        this.f32[0] = v === 0 ? 0 : v; // −0 and +0 tie
        const b = this.bits[0];
        const sortable = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
        this.keys[i] = sortable * 2097152 + (maxIndex - i);
      }
    } else {
      for (let i = 0; i < n; i++) this.distinct[i] = row[offset + i];
      this.distinct.sort();
      for (let i = 0; i < n; i++) {
        const rank = lowerBound(this.distinct, row[offset + i]);
        this.keys[i] = rank * 2097152 + (maxIndex - i);
      }
    }
    this.keys.sort();
    for (let r = 0; r < n; r++) {
      const key = this.keys[n - 1 - r];
      this.order[r] = maxIndex - (key % 2097152);
    }
    return this.order;
  }
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
