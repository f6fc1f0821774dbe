import { inputError } from '../../core/errors.js';

/** Ground-truth records matched with the predictions of the same id. */
export interface Paired<T, P> {
  pairs: Array<{ id: string; truth: T; pred: P | undefined }>;
  /** Ground-truth ids without a prediction. */
  missing: string[];
  /** Prediction ids that are not in the ground truth (ignored). */
  extra: string[];
}

/** Matches `--gt` records with `--pred` records by id, in ground-truth order. */
export function pairById<T, P>(truth: Map<string, { value: T }>, predictions: Map<string, { value: P }>): Paired<T, P> {
  const pairs = [...truth].map(([id, t]) => ({ id, truth: t.value, pred: predictions.get(id)?.value }));
  return {
    pairs,
    missing: pairs.filter((p) => p.pred === undefined).map((p) => p.id),
    extra: [...predictions.keys()].filter((id) => !truth.has(id)),
  };
}

/** The warnings for ids on one side only, naming both files; `missingMeans` says how a missing one scores. */
export function pairingNotes(paired: Paired<unknown, unknown>, files: { pred: string; gt: string }, missingMeans: string): string[] {
  const notes: string[] = [];
  const { missing, extra, pairs } = paired;
  if (missing.length) notes.push(`--pred ${files.pred}: no predictions for ${missing.length} of ${pairs.length} ground-truth ids (e.g. id ${missing[0]}); ${missingMeans}`);
  if (extra.length) notes.push(`--pred ${files.pred}: ${extra.length} id(s) not in --gt ${files.gt} were ignored (e.g. ${extra[0]})`);
  return notes;
}

/** Refuses ground truth left without predictions where a metric cannot score a missing one. */
export function requireAllPredicted(paired: Paired<unknown, unknown>, files: { pred: string; gt: string }): void {
  const { missing, pairs } = paired;
  if (missing.length) throw inputError(`--pred ${files.pred}: no predictions for ${missing.length} of ${pairs.length} ids of --gt ${files.gt} (e.g. id ${missing[0]}); every id needs one`);
}
