import { listedInputError } from '../core/errors.js';
import { labelSets } from '../features/labels.js';
import { skippedWarning } from './datasets/clips.js';
import { multiLabelMetrics } from './metrics/classification.js';
import { sliceBy } from './metrics/slices.js';
import { reportHeader } from './report/header.js';
import type { MultiLabelReport } from './report/types.js';
import { scoreClasses, selectClips, type EvalClassifyOptions } from './run-classify.js';
import { subMatrix } from './similarity.js';
import { trainingOverlapWarning } from './training-overlap.js';

export interface EvalMultiLabelOptions extends EvalClassifyOptions {
  /** A class left out of the mean (e.g. `behaviour:none`), as SciVid leaves out background. */
  background?: string;
}

export const MULTILABEL_DEFINITIONS = {
  'multilabel.mAP': 'Mean over classes (the background class left out) of average precision with scikit-learn semantics (step-wise precision at each distinct score; tied scores one threshold), percent, higher is better. A class without positive clips scores 0 and stays in the mean.',
  'multilabel.control_mAP': 'The label-frequency control (a constant score per class): each class scores its share of the clips. A model is only useful above it.',
  'multilabel.per_class_ap': 'Each class’s average precision, percent.',
};

/**
 * `vidlens eval classify --multi-label`: every label of the family is a class, a clip may have
 * several; each class is scored on every clip (zero-shot: clip · class prompt embedding; trained:
 * the classifier's logits) and ranked, SciVid's behaviour-classification mAP overall and per domain.
 */
export async function evalMultiLabel(o: EvalMultiLabelOptions): Promise<MultiLabelReport> {
  const { data, skipped } = await selectClips(o);
  const prefix = o.labelPrefix ?? o.scorer?.labelPrefix;
  const { sets, classes: found } = labelSets(data.clips, prefix, o.dataset);
  const classes = o.scorer ? o.scorer.classes : found;
  if (o.scorer) {
    const unknown = data.clips.flatMap((c, i) => sets[i].filter((l) => !classes.includes(l)).map((l) => `${o.dataset}:${c.line}: label ${l} is not one of the classifier's classes`));
    if (unknown.length) throw listedInputError(`${o.scorer.flag} ${o.scorer.dir}: ${unknown.length} label(s) of a class it was not trained on (${classes.join(', ')}):`, unknown);
  }
  if (o.background !== undefined && !classes.includes(o.background)) throw listedInputError(`--background ${o.background}: not one of the classes`, classes);
  const { scores, features, prompts, model, sampling } = await scoreClasses(o, data, classes, 'vidlens train readout --multi-label');
  const targets = { data: new Float32Array(scores.rows * classes.length), rows: scores.rows, cols: classes.length };
  sets.forEach((labels, i) => labels.forEach((l) => (targets.data[i * classes.length + classes.indexOf(l)] = 1)));
  const all = classes.map((_, c) => c);
  const evaluate = (idx: number[]) => ({ multilabel: multiLabelMetrics(subMatrix(scores, idx, all), subMatrix(targets, idx, all), classes, o.background) });
  const domains: MultiLabelReport['domains'] = {};
  for (const [name, idx] of sliceBy(data.clips, (c) => c.domain || '(none)')) domains[name] = { n: idx.length, metrics: evaluate(idx) };
  const details = data.clips.map((c, i) => {
    const row = Array.from(scores.data.subarray(i * classes.length, (i + 1) * classes.length), (score, k) => ({ label: classes[k], score }));
    return { video: c.video, span: features.spans[i], domain: c.domain, labels: sets[i], top: row.sort((a, b) => b.score - a.score).slice(0, Math.max(1, sets[i].length)) };
  });
  const overlap = o.scorer ? trainingOverlapWarning(o.scorer.flag, o.scorer.dir, o.scorer.dataset, data.clips, data.sha256) : undefined;
  return {
    kind: 'multilabel',
    ...reportHeader({
      model,
      dataset: { path: data.path, sha256: data.sha256, n: data.clips.length, format: 'jsonl' },
      config: { db: o.db, prompts: o.scorer ? null : prompts, labelPrefix: prefix ?? null, background: o.background ?? null, split: o.split ?? null, skipped, classes, sampling, clipsEmbedded: features.embedded },
      definitions: MULTILABEL_DEFINITIONS,
      adapter: o.scorer ? { path: o.scorer.dir, ...o.scorer.describe } : null,
      warnings: [...data.warnings, ...skippedWarning(skipped), ...(overlap ? [overlap] : [])],
    }),
    metrics: evaluate(data.clips.map((_, i) => i)),
    domains,
    details,
  };
}
