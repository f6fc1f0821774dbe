/** A dense row-major 2-D matrix of similarities or relevancies. */
export interface Matrix {
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

export function matrix(data: Float32Array | Float64Array, rows: number, cols: number): Matrix {
  if (data.length !== rows * cols) throw new Error(`matrix data has ${data.length} values, expected ${rows}×${cols}`);
  return { data, rows, cols };
}

/** A transposed copy, in the input's precision. */
export function transpose(m: Matrix): Matrix {
  return transposeColumns(m, 0, m.cols);
}

/** Columns `from`..`to` of `m` as the rows of a new matrix (`transpose` of a column band). */
export function transposeColumns(m: Matrix, from: number, to: number): Matrix {
  const width = to - from;
  const out = new (m.data.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(width * m.rows);
  const { rows, cols, data } = m;
  const block = 64;
  for (let i0 = 0; i0 < rows; i0 += block) {
    for (let j0 = from; j0 < to; j0 += block) {
      const iEnd = Math.min(i0 + block, rows);
      const jEnd = Math.min(j0 + block, to);
      for (let i = i0; i < iEnd; i++) for (let j = j0; j < jEnd; j++) out[(j - from) * rows + i] = data[i * cols + j];
    }
  }
  return { data: out, rows: width, cols: rows };
}

/** The first non-finite value's position, or undefined when all are finite. */
export function firstNonFinite(m: Matrix): { row: number; col: number; value: number } | undefined {
  for (let k = 0; k < m.data.length; k++) {
    if (!Number.isFinite(m.data[k])) return { row: Math.floor(k / m.cols), col: k % m.cols, value: m.data[k] };
  }
  return undefined;
}

/** Median by numpy's convention: the mean of the two middle values for an even count. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length ? s / values.length : NaN;
}
