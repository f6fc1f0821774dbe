import { usageError } from '../errors.js';
import { clipFeatures } from '../eval/clip-features.js';
import { loadClipsJsonl } from '../eval/datasets/clips.js';
import { classificationMetrics, type ClassificationMetrics } from '../eval/metrics/classification.js';
import { sliceBy } from '../eval/metrics/slices.js';
import { subMatrix } from '../eval/similarity.js';
import { openIndex } from '../indexing/open.js';
import { fitReadout, type ReadoutHead } from './readout.js';

export interface TrainReadoutOptions {
  db: string;
  dataset: string;
  labelPrefix: string;
  head: ReadoutHead;
  model?: string;
  epochs?: number;
  lr?: number;
  seed?: number;
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface ReadoutSummary {
  head: ReadoutHead;
  classes: string[];
  backend: string;
  bestEpoch: number;
  epochs: number;
  valAccuracy: number;
  test: ClassificationMetrics;
  domains: Record<string, { n: number; metrics: ClassificationMetrics }>;
}

/**
 * `vidlens train readout`: fits a `mean` (linear readout) or `temporal` (degradation-free temporal
 * attention) head on the frozen per-frame features of the dataset's clips for one label family, keeps
 * the best validation epoch, and reports test acc1 / mean per-class recall overall and per domain.
 */
export async function trainReadout(o: TrainReadoutOptions): Promise<ReadoutSummary> {
  const data = await loadClipsJsonl(o.dataset);
  const names = data.clips.map((c) => c.labels.filter((l) => l.startsWith(o.labelPrefix)));
  const bad = names.findIndex((n) => n.length !== 1);
  if (bad >= 0) throw usageError(`${o.dataset}:${data.clips[bad].line}: expected exactly one label starting with "${o.labelPrefix}", found ${names[bad].length}`);
  const classes = [...new Set(names.map((n) => n[0]))].sort();
  if (classes.length < 2) throw usageError(`--label-prefix "${o.labelPrefix}": only one class (${classes.join(', ')}) in ${o.dataset}; a classifier needs at least 2`);
  const labels = names.map((n) => classes.indexOf(n[0]));
  const split = (s: string) => data.clips.flatMap((c, i) => (c.split === s ? [i] : []));
  const [train, val, test] = ['train', 'val', 'test'].map(split);
  if (!train.length || !val.length || !test.length) throw usageError(`--dataset ${o.dataset}: needs clips with "split": "train", "val" and "test" (found ${train.length}/${val.length}/${test.length})`);

  const { catalog, encoder } = await openIndex(o.db, { model: o.model, create: true });
  let features;
  try {
    features = await clipFeatures(data.clips, data.path, encoder, catalog, { onProgress: (d, t) => o.onProgress?.(d, t, 'embedding clips') });
  } finally {
    await encoder.dispose();
  }
  const fit = await fitReadout({
    frames: features.frameVectors, clips: data.clips.length, steps: features.frames, dim: features.dim, labels, classes: classes.length,
    train, val, head: o.head, epochs: o.epochs, lr: o.lr, seed: o.seed,
  });
  const logits = { data: fit.logits, rows: data.clips.length, cols: classes.length };
  const all = classes.map((_, c) => c);
  const metrics = (idx: number[]) => classificationMetrics(subMatrix(logits, idx, all), idx.map((i) => labels[i]));
  const domains: ReadoutSummary['domains'] = {};
  for (const [name, idx] of sliceBy(test.map((i) => data.clips[i]), (c) => c.domain || '(none)')) {
    const clipIdx = idx.map((k) => test[k]);
    domains[name] = { n: clipIdx.length, metrics: metrics(clipIdx) };
  }
  return { head: o.head, classes, backend: fit.backend, bestEpoch: fit.bestEpoch, epochs: fit.epochs, valAccuracy: fit.valAccuracy, test: metrics(test), domains };
}
