import { DEFAULT_PROMPT } from './prompts.js';
import { listedInputError, usageError } from '../core/errors.js';
import { openIndex } from '../indexing/open.js';
import type { Encoder } from '../models/encoder.js';
import { assertTrainedOn, type TrainedOn, type TrainedOnDataset } from '../heads/trained-on.js';
import { l2NormalizeRows } from '../models/vectors.js';
import { clipFeatures, type ClipFeatures } from '../features/clip-features.js';
import { singleLabels } from '../features/labels.js';
import { loadClipsJsonl, clipsWithVideos, skippedWarning } from './datasets/clips.js';
import { classificationMetrics } from './metrics/classification.js';
import { sliceBy } from './metrics/slices.js';
import { encoderRef, reportHeader } from './report/header.js';
import type { ClassifyReport } from './report/types.js';
import { similarityMatrix, subMatrix } from './similarity.js';
import type { OnProgress } from '../core/events.js';
import { trainingOverlapWarning } from './training-overlap.js';

export interface EvalClassifyOptions {
  db: string;
  dataset: string;
  /** Prompt templates with `{}` for the class name. */
  prompts?: string[];
  /** Use only labels with this prefix (e.g. `motion:`); each clip must have exactly one. */
  labelPrefix?: string;
  model?: string;
  /** Evaluate only clips with this `split` (e.g. `test`). */
  split?: string;
  /** Leave out clips whose video does not exist, and list them in the report, instead of refusing the dataset. */
  skipMissing?: boolean;
  /** A trained classifier to score clips with instead of zero-shot prompts. */
  scorer?: ClipScorer;
  onProgress?: OnProgress;
}

/** A trained classifier as `eval classify` sees it (built by the train layer). */
export interface ClipScorer {
  /** Where it came from, for messages. */
  flag: string;
  dir: string;
  model: TrainedOn;
  /** The clips it was fitted on (to warn when it is scored on them). */
  dataset: TrainedOnDataset;
  labelPrefix: string;
  /** Full labels in logit order. */
  classes: string[];
  /** What the report records about it. */
  describe: Record<string, unknown>;
  logits(features: ClipFeatures): Promise<Float32Array>;
}

export const TRAINED_CLASSIFY_DEFINITIONS = {
  'classify.acc1 / acc5': 'Top-1 / top-5 accuracy of the trained classifier (see adapter), percent, higher is better; acc5 is null with fewer than 5 classes.',
  'classify.mean_per_class_recall': 'Balanced accuracy: mean over the classes present in the ground truth of their top-1 recall, percent, higher is better.',
};

export const CLASSIFY_DEFINITIONS = {
  'classify.acc1 / acc5': 'Zero-shot top-1 / top-5 accuracy, percent, higher is better; acc5 is null with fewer than 5 classes. Class embedding = L2-normalised mean of the L2-normalised prompt embeddings; logits = clip · class.',
  'classify.mean_per_class_recall': 'Balanced accuracy: mean over the classes present in the ground truth of their top-1 recall, percent, higher is better.',
};

/** The words a prompt uses for a label: the part after a `family:` prefix, with separators as spaces. */
export function className(label: string): string {
  return label.slice(label.indexOf(':') + 1).replace(/[_-]+/g, ' ');
}

/** The dataset's clips to classify: those of `--split`, less (with `--skip-missing`) those whose video is gone. */
export async function selectClips(o: Pick<EvalClassifyOptions, 'dataset' | 'split' | 'skipMissing'>) {
  const loaded = await loadClipsJsonl(o.dataset, { checkVideos: !o.skipMissing });
  const inSplit = o.split ? { ...loaded, clips: loaded.clips.filter((c) => c.split === o.split) } : loaded;
  if (inSplit.clips.length === 0) throw usageError(`--split ${o.split}: no clip of ${o.dataset} has "split": "${o.split}"`);
  const { kept, skipped } = o.skipMissing ? clipsWithVideos(inSplit, inSplit.clips.map((_, i) => i)) : { kept: inSplit.clips.map((_, i) => i), skipped: [] };
  if (kept.length === 0) throw usageError(`--skip-missing: no clip of ${o.dataset} has its video (${skipped[0]})`);
  return { data: { ...inSplit, clips: kept.map((i) => inSplit.clips[i]) }, skipped };
}

/** Class embeddings: the L2-normalised mean of each class's L2-normalised prompt embeddings. */
export async function classVectors(encoder: Encoder, classes: string[], prompts: string[]): Promise<Float32Array> {
  const dim = encoder.manifest.dim;
  const out = new Float32Array(classes.length * dim);
  for (const [c, label] of classes.entries()) {
    const texts = prompts.map((p) => p.replaceAll('{}', className(label)));
    const vectors = await encoder.embedTexts(texts);
    const mean = new Float32Array(dim);
    for (let t = 0; t < texts.length; t++) for (let j = 0; j < dim; j++) mean[j] += vectors[t * dim + j];
    out.set(l2NormalizeRows(mean, dim), c * dim);
  }
  return out;
}

/**
 * `vidlens eval classify`: zero-shot classification of the dataset's clips over its labels,
 * overall and per domain, with acc1, acc5 and mean per-class recall — or, with a trained
 * classifier (`scorer`), that classifier's predictions under the same metrics.
 */
export async function evalClassify(o: EvalClassifyOptions): Promise<ClassifyReport> {
  const { data, skipped } = await selectClips(o);
  const prefix = o.labelPrefix ?? o.scorer?.labelPrefix;
  const labels = singleLabels(data.clips, prefix, o.dataset);
  const classes = o.scorer ? o.scorer.classes : [...new Set(labels)].sort();
  if (o.scorer) {
    const unknown = data.clips.flatMap((c, i) => (classes.includes(labels[i]) ? [] : [`${o.dataset}:${c.line}: label ${labels[i]} is not one of the classifier's classes`]));
    if (unknown.length) throw listedInputError(`${o.scorer.flag} ${o.scorer.dir}: ${unknown.length} clip(s) have a class it was not trained on (${classes.join(', ')}):`, unknown);
  }
  if (classes.length < 2) throw usageError(`--dataset ${o.dataset}: zero-shot classification needs at least 2 classes, found ${classes.length} (${classes.join(', ') || 'none'})`);
  const { scores: logits, features, prompts, model, sampling } = await scoreClasses(o, data, classes, 'vidlens train probe|readout');
  const y = labels.map((l) => classes.indexOf(l));
  const allClasses = classes.map((_, c) => c);
  const evaluate = (idx: number[]) => ({ classify: classificationMetrics(subMatrix(logits, idx, allClasses), idx.map((i) => y[i])) });
  const metrics = evaluate(data.clips.map((_, i) => i));
  const domains: ClassifyReport['domains'] = {};
  for (const [name, idx] of sliceBy(data.clips, (c) => c.domain || '(none)')) domains[name] = { n: idx.length, metrics: evaluate(idx) };
  const details = data.clips.map((c, i) => {
    const row = Array.from(logits.data.subarray(i * classes.length, (i + 1) * classes.length));
    const predicted = row.indexOf(Math.max(...row));
    return { video: c.video, span: features.spans[i], domain: c.domain, label: labels[i], predicted: classes[predicted], correct: classes[predicted] === labels[i], score: row[predicted] };
  });
  return {
    kind: 'classify',
    ...reportHeader({
      model,
      dataset: { path: data.path, sha256: data.sha256, n: data.clips.length, format: 'jsonl' },
      config: { db: o.db, prompts: o.scorer ? null : prompts, labelPrefix: prefix ?? null, split: o.split ?? null, skipped, classes, sampling, clipsEmbedded: features.embedded },
      definitions: o.scorer ? TRAINED_CLASSIFY_DEFINITIONS : CLASSIFY_DEFINITIONS,
      adapter: o.scorer ? { path: o.scorer.dir, ...o.scorer.describe } : null,
      warnings: [...data.warnings, ...skippedWarning(skipped), ...(o.scorer ? [trainingOverlapWarning(o.scorer.flag, o.scorer.dir, o.scorer.dataset, data.clips, data.sha256)].filter((w): w is string => w !== undefined) : [])],
    }),
    metrics,
    domains,
    details,
  };
}

/**
 * Every clip scored against every class: zero-shot (clip · the class's prompt embedding; `--prompts`
 * checked here) or by the trained classifier, refused when trained on another model (`retrain` says how to make one).
 */
export async function scoreClasses(o: EvalClassifyOptions, data: Awaited<ReturnType<typeof selectClips>>['data'], classes: string[], retrain: string) {
  const prompts = o.prompts?.length ? o.prompts : [DEFAULT_PROMPT];
  for (const p of prompts) if (!p.includes('{}')) throw usageError(`--prompts "${p}": a template needs {} where the class name goes`);
  const { catalog, encoder } = await openIndex(o.db, { model: o.model, create: true });
  try {
    if (o.scorer) assertTrainedOn(o.scorer.flag, o.scorer.dir, o.scorer.model, encoder.manifest, retrain);
    const features = await clipFeatures(data.clips, data.path, encoder, catalog, { onProgress: o.onProgress });
    const scores = o.scorer
      ? { data: await o.scorer.logits(features), rows: data.clips.length, cols: classes.length }
      : similarityMatrix(features.vectors, await classVectors(encoder, classes, prompts), encoder.manifest.dim);
    return { scores, features, prompts, model: encoderRef(encoder), sampling: catalog.manifest!.sampling };
  } finally {
    await encoder.dispose();
  }
}
