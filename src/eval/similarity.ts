import type { Matrix } from '../util/matrix.js';

/** `a` (n × dim) · `b` (m × dim)ᵀ as an n × m float32 matrix: cosines when rows are unit vectors. */
export function similarityMatrix(a: Float32Array, b: Float32Array, dim: number): Matrix {
  const n = a.length / dim;
  const m = b.length / dim;
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    const ai = i * dim;
    for (let j = 0; j < m; j++) {
      const bj = j * dim;
      let s = 0;
      for (let k = 0; k < dim; k++) s += a[ai + k] * b[bj + k];
      out[i * m + j] = s;
    }
  }
  return { data: out, rows: n, cols: m };
}

/** The sub-matrix of the given rows and columns. */
export function subMatrix(m: Matrix, rows: number[], cols: number[]): Matrix {
  const out = new (m.data.constructor as Float32ArrayConstructor)(rows.length * cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (out[i * cols.length + j] = m.data[r * m.cols + c])));
  return { data: out, rows: rows.length, cols: cols.length };
}
