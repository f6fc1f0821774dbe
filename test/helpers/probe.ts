/** Z-scores features with the training set's per-dimension mean and deviation. */
function standardizer(train: Float32Array[]): (x: Float32Array) => Float32Array {
  const d = train[0].length;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (const x of train) for (let j = 0; j < d; j++) mean[j] += x[j] / train.length;
  for (const x of train) for (let j = 0; j < d; j++) sd[j] += (x[j] - mean[j]) ** 2 / train.length;
  return (x) => Float32Array.from(x, (v, j) => (v - mean[j]) / Math.sqrt(sd[j] + 1e-12));
}

/**
 * Ridge-regression one-vs-rest linear probe on standardised features, solved in closed form:
 * enough to check that features carry a label linearly. Returns test accuracy in [0, 1].
 */
export function linearProbeAccuracy(
  rawTrain: { x: Float32Array[]; y: number[] },
  rawTest: { x: Float32Array[]; y: number[] },
  classes: number,
  lambda = 1e-4,
): number {
  const z = standardizer(rawTrain.x);
  const train = { x: rawTrain.x.map(z), y: rawTrain.y };
  const test = { x: rawTest.x.map(z), y: rawTest.y };
  const d = train.x[0].length + 1;
  const a = Array.from({ length: d }, () => new Float64Array(d));
  const b = Array.from({ length: d }, () => new Float64Array(classes));
  const withBias = (x: Float32Array) => [...x, 1];
  train.x.forEach((raw, n) => {
    const x = withBias(raw);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) a[i][j] += x[i] * x[j];
      b[i][train.y[n]] += x[i];
    }
  });
  for (let i = 0; i < d; i++) a[i][i] += lambda;
  // Gauss–Jordan elimination with partial pivoting on [A | B].
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    [b[col], b[pivot]] = [b[pivot], b[col]];
    const p = a[col][col];
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const f = a[r][col] / p;
      if (f === 0) continue;
      for (let c = col; c < d; c++) a[r][c] -= f * a[col][c];
      for (let c = 0; c < classes; c++) b[r][c] -= f * b[col][c];
    }
  }
  const w = b.map((row, i) => row.map((v) => v / a[i][i]));
  let correct = 0;
  test.x.forEach((raw, n) => {
    const x = withBias(raw);
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += x[i] * w[i][c];
      if (s > bestScore) [best, bestScore] = [c, s];
    }
    if (best === test.y[n]) correct++;
  });
  return correct / test.x.length;
}
