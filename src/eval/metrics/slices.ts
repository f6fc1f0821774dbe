/** Groups item indices by a key (domain, category…), preserving first-seen order. */
export function sliceBy<T>(items: T[], key: (item: T) => string): Map<string, number[]> {
  const slices = new Map<string, number[]>();
  items.forEach((item, i) => {
    const k = key(item);
    const list = slices.get(k);
    if (list) list.push(i);
    else slices.set(k, [i]);
  });
  return slices;
}

export interface TransferMatrix {
  /** Training domains (rows); the first row is `zero-shot`. */
  rows: string[];
  /** Test domains (columns). */
  cols: string[];
  values: number[][];
  /** Per trained row: in-domain score − mean of the cross-domain scores. */
  gap: Record<string, number>;
}

/**
 * A transfer matrix (REFERENCES §7): zero-shot first, then one row per training domain, one column
 * per test domain; the diagonal is in-domain, the gap is in-domain minus the mean cross-domain score.
 */
export function transferMatrix(domains: string[], score: (train: string | null, test: string) => number): TransferMatrix {
  const rows = ['zero-shot', ...domains];
  const values = rows.map((r) => domains.map((test) => score(r === 'zero-shot' ? null : r, test)));
  const gap: Record<string, number> = {};
  domains.forEach((train, i) => {
    const row = values[i + 1];
    const cross = row.filter((_, j) => j !== i);
    gap[train] = row[i] - (cross.length ? cross.reduce((a, b) => a + b, 0) / cross.length : NaN);
  });
  return { rows, cols: domains, values, gap };
}
