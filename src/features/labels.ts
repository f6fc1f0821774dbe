import { usageError } from '../core/errors.js';

/**
 * A label family: the labels of a clip that start with `prefix` (e.g. `motion:`), the way
 * classification picks what to classify from multi-family labels like `["motion:left", "color:red"]`.
 * Without a prefix every label counts.
 */
export function labelFamily(labels: string[], prefix: string | undefined): string[] {
  return prefix ? labels.filter((l) => l.startsWith(prefix)) : labels;
}

/**
 * The one label of each clip in the family `prefix` (every label when there is none); a clip with
 * none or several is an input error naming its dataset line.
 */
export function singleLabels(clips: ReadonlyArray<{ labels: string[]; line: number }>, prefix: string | undefined, dataset: string): string[] {
  return clips.map((c) => {
    const labels = labelFamily(c.labels, prefix);
    if (labels.length !== 1) {
      throw usageError(
        `${dataset}:${c.line}: expected exactly one label${prefix ? ` starting with "${prefix}"` : ''} per clip, found ${labels.length}` +
          (prefix ? '' : ' (pick a label family with --label-prefix, e.g. motion:)'),
      );
    }
    return labels[0];
  });
}

/**
 * Every label of each clip in the family `prefix` (every label when there is none), for multi-label
 * classification: a clip may have several or none; the classes are their sorted union.
 */
export function labelSets(clips: ReadonlyArray<{ labels: string[] }>, prefix: string | undefined, dataset: string): { sets: string[][]; classes: string[] } {
  const sets = clips.map((c) => [...new Set(labelFamily(c.labels, prefix))]);
  const classes = [...new Set(sets.flat())].sort();
  if (classes.length < 2) throw usageError(`--dataset ${dataset}: multi-label classification needs at least 2 classes${prefix ? ` starting with "${prefix}"` : ''}, found ${classes.length} (${classes.join(', ') || 'none'})`);
  return { sets, classes };
}
