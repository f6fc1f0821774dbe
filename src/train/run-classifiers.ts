import { usageError } from '../core/errors.js';
import { clipFeatures } from '../features/clip-features.js';
import { labelSets, singleLabels } from '../features/labels.js';
import { loadClipsJsonl } from '../eval/datasets/clips.js';
import { classificationMetrics, multiLabelMetrics, type ClassificationMetrics, type MultiLabelMetrics } from '../eval/metrics/classification.js';
import { sliceBy } from '../eval/metrics/slices.js';
import { subMatrix } from '../eval/similarity.js';
import { openIndex } from '../indexing/open.js';
import { linearProbe } from './probe.js';
import { READOUT_DEFAULTS, READOUT_LR } from './defaults.js';
import { applyStandard, standardStats } from '../heads/readout/standardise.js';
import { fitReadout, type ReadoutHead, type ReadoutInput } from './readout.js';
import { saveClassifier, type ClassifierMeta } from '../heads/readout/classifier.js';
import { VERSION } from '../core/version.js';
import type { OnProgress } from '../core/events.js';
import { clipKey } from '../eval/datasets/clips.js';

export interface LabelledOptions {
  db: string;
  dataset: string;
  labelPrefix: string;
  model?: string;
  /** Save the trained classifier here, for `eval classify --adapter`. */
  out?: string;
  /** Every label of the family is a class and a clip may have several (sigmoid per class; readouts only). */
  multiLabel?: boolean;
  /** With `multiLabel`: the class left out of the test mAP. */
  background?: string;
  onProgress?: OnProgress;
}

/** Loads clips with one label of a family each, their splits, and their frozen features. */
async function loadLabelled(o: LabelledOptions) {
  const data = await loadClipsJsonl(o.dataset);
  const { classes, labels, targets } = o.multiLabel ? multiHot(data.clips, o) : oneLabelEach(data.clips, o);
  if (o.background !== undefined && !classes.includes(o.background)) throw usageError(`--background ${o.background}: not one of the classes (${classes.join(', ')})`);
  const split = (s: string) => data.clips.flatMap((c, i) => (c.split === s ? [i] : []));
  const [train, val, test] = ['train', 'val', 'test'].map(split);
  if (!train.length || !val.length || !test.length) throw usageError(`--dataset ${o.dataset}: needs clips with "split": "train", "val" and "test" (found ${train.length}/${val.length}/${test.length})`);
  const { catalog, encoder } = await openIndex(o.db, { model: o.model, create: true });
  try {
    const features = await clipFeatures(data.clips, data.path, encoder, catalog, { onProgress: o.onProgress });
    const m = encoder.manifest;
    return { data, classes, labels, targets, train, val, test, features, model: { id: m.id, sha256: m.sha256, dim: m.dim } };
  } finally {
    await encoder.dispose();
  }
}

function oneLabelEach(clips: Array<{ labels: string[]; line: number }>, o: LabelledOptions) {
  const names = singleLabels(clips, o.labelPrefix, o.dataset);
  const classes = [...new Set(names)].sort();
  if (classes.length < 2) throw usageError(`--label-prefix "${o.labelPrefix}": only one class (${classes.join(', ')}) in ${o.dataset}; a classifier needs at least 2`);
  return { classes, labels: names.map((n) => classes.indexOf(n)), targets: undefined };
}

/** Multi-hot targets, `clips × classes`, over the family's labels. */
function multiHot(clips: Array<{ labels: string[] }>, o: LabelledOptions) {
  const { sets, classes } = labelSets(clips, o.labelPrefix, o.dataset);
  const targets = new Float32Array(clips.length * classes.length);
  sets.forEach((set, i) => set.forEach((l) => (targets[i * classes.length + classes.indexOf(l)] = 1)));
  return { classes, labels: [] as number[], targets };
}

/** Fits the §3 sweep makes at most: 7 coarse values, then 8 halvings trying 2 values each (repeats are cached). */
const SWEEP_FITS = 23;

type Labelled = Awaited<ReturnType<typeof loadLabelled>>;

/** What every saved classifier records: head, model, classes, dataset and training config. */
function savedMeta(l: Labelled, o: LabelledOptions, head: ClassifierMeta['head'], config: Record<string, unknown>): Omit<ClassifierMeta, 'tensors' | 'validation'> {
  return {
    kind: 'classifier', head, vidlens: VERSION, created: new Date().toISOString(), model: l.model, labelPrefix: o.labelPrefix, classes: l.classes,
    steps: l.features.frames, config, dataset: { path: l.data.path, sha256: l.data.sha256, train: l.train.length, val: l.val.length, trainClips: l.train.map((i) => clipKey(l.data.clips[i])) },
  };
}

/** A metric on the test clips, overall and per domain. */
function onTest<M>(l: Labelled, metrics: (idx: number[]) => M): { test: M; domains: Record<string, { n: number; metrics: M }> } {
  const domains: Record<string, { n: number; metrics: M }> = {};
  for (const [name, idx] of sliceBy(l.test.map((i) => l.data.clips[i]), (c) => c.domain || '(none)')) {
    const clipIdx = idx.map((k) => l.test[k]);
    domains[name] = { n: clipIdx.length, metrics: metrics(clipIdx) };
  }
  return { test: metrics(l.test), domains };
}

/** Test acc1 / mean per-class recall from logits for every clip. */
function singleLabelTest(logits: Float32Array, l: Labelled) {
  const matrix = { data: logits, rows: l.data.clips.length, cols: l.classes.length };
  const all = l.classes.map((_, c) => c);
  return onTest(l, (idx) => classificationMetrics(subMatrix(matrix, idx, all), idx.map((i) => l.labels[i])));
}

/** Test mAP (with the label-frequency control) from logits for every clip. */
function multiLabelTest(logits: Float32Array, targets: Float32Array, l: Labelled, background?: string) {
  const shape = { rows: l.data.clips.length, cols: l.classes.length };
  const all = l.classes.map((_, c) => c);
  return onTest(l, (idx) => multiLabelMetrics(subMatrix({ data: logits, ...shape }, idx, all), subMatrix({ data: targets, ...shape }, idx, all), l.classes, background));
}

export interface TrainReadoutOptions extends LabelledOptions {
  head: ReadoutHead;
  epochs?: number;
  lr?: number;
  seed?: number;
  onEpoch?: ReadoutInput['onEpoch'];
}

type OnTest<M> = { test: M; domains: Record<string, { n: number; metrics: M }> };

export type ReadoutSummary = {
  out: string | null;
  head: ReadoutHead;
  classes: string[];
  backend: string;
  bestEpoch: number;
  epochs: number;
  /** Validation top-1 accuracy, or mAP (0–1) for multi-label. */
  valAccuracy: number;
} & (({ multiLabel: false } & OnTest<ClassificationMetrics>) | ({ multiLabel: true } & OnTest<MultiLabelMetrics>));

/**
 * `vidlens train readout`: fits a `mean` (linear readout) or `temporal` (degradation-free temporal
 * attention) head on the frozen per-frame features of the dataset's clips for one label family, keeps
 * the best validation epoch, and reports test acc1 / mean per-class recall overall and per domain.
 */
export async function trainReadout(o: TrainReadoutOptions): Promise<ReadoutSummary> {
  const l = await loadLabelled(o);
  const fit = await fitReadout({
    frames: l.features.frameVectors, clips: l.data.clips.length, steps: l.features.frames, dim: l.features.dim, labels: l.labels, targets: l.targets, classes: l.classes.length,
    train: l.train, val: l.val, head: o.head, epochs: o.epochs, lr: o.lr, seed: o.seed, onEpoch: o.onEpoch,
  });
  const multiLabel = l.targets !== undefined;
  if (o.out) {
    await saveClassifier(o.out, {
      ...savedMeta(l, o, o.head, { epochs: o.epochs ?? READOUT_DEFAULTS.epochs, lr: o.lr ?? READOUT_LR, weightDecay: READOUT_DEFAULTS.weightDecay, optimizer: 'adamw, 5 % linear warmup, cosine decay', loss: multiLabel ? 'sigmoid binary cross-entropy per class' : 'softmax cross-entropy', seed: o.seed ?? 0, backend: fit.backend }),
      validation: { metric: multiLabel ? 'mAP over classes (0–1), validation split' : 'top-1 accuracy, validation split', best: fit.valAccuracy, bestEpoch: fit.bestEpoch },
      multiLabel,
    }, fit.weights, fit.standard);
  }
  const base = { out: o.out ?? null, head: o.head, classes: l.classes, backend: fit.backend, bestEpoch: fit.bestEpoch, epochs: fit.epochs, valAccuracy: fit.valAccuracy };
  return l.targets ? { ...base, multiLabel: true, ...multiLabelTest(fit.logits, l.targets, l, o.background) } : { ...base, multiLabel: false, ...singleLabelTest(fit.logits, l) };
}

export interface ProbeSummary {
  out: string | null;
  classes: string[];
  backend: string;
  lambda: number;
  valAccuracy: number;
  sweep: Array<{ lambda: number; score: number }>;
  test: ClassificationMetrics;
  domains: Record<string, { n: number; metrics: ClassificationMetrics }>;
}

/**
 * `vidlens train probe`: the linear-probe protocol on frozen, mean-pooled, standardised features:
 * regularisation chosen on validation by the sweep, refit on train + val, test reported once.
 */
export async function trainProbe(o: LabelledOptions): Promise<ProbeSummary> {
  if (o.multiLabel) throw usageError("--multi-label: the linear probe is one softmax; train a multi-label classifier with 'vidlens train readout --multi-label'");
  const l = await loadLabelled(o);
  const { dim, frames } = l.features;
  const pooled = new Float32Array(l.data.clips.length * dim);
  for (let c = 0; c < l.data.clips.length; c++) {
    for (let t = 0; t < frames; t++) for (let j = 0; j < dim; j++) pooled[c * dim + j] += l.features.frameVectors[(c * frames + t) * dim + j] / frames;
  }
  const standard = standardStats(pooled, l.train, 1, dim);
  const probe = await linearProbe({
    features: applyStandard(pooled, standard, dim), dim, labels: l.labels, classes: l.classes.length, train: l.train, val: l.val,
    onFit: (fits, lambda, acc) => o.onProgress?.({ task: 'λ sweep', done: fits, total: SWEEP_FITS, unit: 'fits', item: `λ ${lambda.toExponential(1)} → val acc ${(100 * acc).toFixed(1)} %` }),
  });
  if (o.out) {
    await saveClassifier(o.out, {
      ...savedMeta(l, o, 'probe', { lambda: probe.lambda, sweep: probe.sweep, refit: 'train + val', backend: probe.backend }),
      validation: { metric: 'top-1 accuracy, validation split, at the chosen λ', best: probe.valAccuracy, bestEpoch: null },
    }, probe.weights, standard);
  }
  return { out: o.out ?? null, classes: l.classes, backend: probe.backend, lambda: probe.lambda, valAccuracy: probe.valAccuracy, sweep: probe.sweep, ...singleLabelTest(probe.logits, l) };
}
