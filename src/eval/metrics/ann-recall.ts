/**
 * Recall of an approximate search against the exact one, counting ties: an approximate hit is found when it
 * scores as high as the exact k-th (within `tolerance`), since rows with equal vectors (identical frames) tie
 * and either may be returned. Pure; scores are similarities, higher first.
 */
export function hitsAtExactKth(approximate: ReadonlyArray<{ score: number }>, exact: ReadonlyArray<{ score: number }>, k: number, tolerance = 1e-6): number {
  if (exact.length < k) throw new Error(`the exact search returned ${exact.length} hits, fewer than k = ${k}`);
  const kth = exact[k - 1].score;
  return approximate.slice(0, k).filter((h) => h.score >= kth - tolerance).length;
}
