/**
 * The regularisation sweep of the linear-probe protocol (REFERENCES §3): 7 values two decades
 * apart over 1e-6…1e6, then 8 refinements halving the interval in log10 space around the best.
 * `score` returns validation accuracy for a regularisation value (higher is better).
 */
export async function sweepRegularisation(score: (lambda: number) => Promise<number> | number): Promise<{ best: number; bestScore: number; tried: Array<{ lambda: number; score: number }> }> {
  const tried: Array<{ lambda: number; score: number }> = [];
  const cache = new Map<number, number>();
  const evaluate = async (log10: number) => {
    const key = Math.round(log10 * 1e9) / 1e9;
    if (!cache.has(key)) {
      const s = await score(10 ** key);
      cache.set(key, s);
      tried.push({ lambda: 10 ** key, score: s });
    }
    return cache.get(key)!;
  };
  let bestLog = -6;
  let bestScore = -Infinity;
  for (let e = -6; e <= 6; e += 2) {
    const s = await evaluate(e);
    if (s > bestScore) [bestLog, bestScore] = [e, s];
  }
  let delta = 2;
  for (let step = 0; step < 8; step++) {
    delta /= 2;
    for (const candidate of [bestLog - delta, bestLog + delta]) {
      const s = await evaluate(candidate);
      if (s > bestScore) [bestLog, bestScore] = [candidate, s];
    }
  }
  return { best: 10 ** bestLog, bestScore, tried };
}
