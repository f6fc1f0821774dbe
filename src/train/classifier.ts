import { z } from 'zod';
import { usageError } from '../core/errors.js';
import type { ClipFeatures } from '../eval/clip-features.js';
import type { ClipScorer } from '../eval/run-classify.js';
import { readWeightFolder, writeWeightFolder, type WeightFolder } from '../models/weight-folder.js';
import { applyStandard, type Standardisation } from './readout.js';
import { ReadoutNet, type NamedTensors } from './readout-net.js';
import { initTf, matMul, tf } from './tf.js';

/**
 * A trained classifier on frozen features (`train probe` / `train readout --out DIR`): its head,
 * classes, the standardisation its input needs and its weights, so `eval classify --adapter DIR`
 * can score new clips with it.
 */
export const classifierMetaSchema = z.object({
  kind: z.literal('classifier'),
  head: z.enum(['probe', 'mean', 'temporal', 'attentive']),
  vidlens: z.string(),
  created: z.string(),
  model: z.object({ id: z.string(), sha256: z.string(), dim: z.number().int().positive() }),
  labelPrefix: z.string(),
  /** Full labels in logit order, e.g. `motion:left`. */
  classes: z.array(z.string()).min(2),
  steps: z.number().int().positive(),
  config: z.record(z.string(), z.unknown()),
  dataset: z.object({ path: z.string(), sha256: z.string(), train: z.number(), val: z.number() }),
  validation: z.object({ metric: z.string(), best: z.number(), bestEpoch: z.number().nullable() }),
  /** Weights in `weights.bin` order, with their shapes. */
  tensors: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()) })),
});

export type ClassifierMeta = z.infer<typeof classifierMetaSchema>;

export interface SavedClassifier {
  meta: ClassifierMeta;
  tensors: NamedTensors;
}

const FOLDER: WeightFolder = { meta: 'classifier.json', what: 'a classifier', command: 'vidlens train probe|readout --out DIR' };

/** Writes `classifier.json` and `weights.bin` (float32, the head's weights then the standardisation). */
export async function saveClassifier(dir: string, meta: Omit<ClassifierMeta, 'tensors'>, weights: NamedTensors, standard: Standardisation): Promise<void> {
  const dim = meta.model.dim;
  const all: NamedTensors = { ...weights, 'standard.mean': { shape: [dim], data: standard.mean }, 'standard.scale': { shape: [dim], data: standard.scale } };
  const names = Object.keys(all);
  await writeWeightFolder(dir, FOLDER, { ...meta, tensors: names.map((name) => ({ name, shape: all[name].shape })) }, names.map((n) => all[n].data));
}

export async function loadClassifier(dir: string, flag = '--adapter'): Promise<SavedClassifier> {
  const { meta, parts } = await readWeightFolder(flag, dir, FOLDER, classifierMetaSchema, (m) => m.tensors.map((t) => t.shape.reduce((a, b) => a * b, 1)));
  const tensors: NamedTensors = Object.fromEntries(meta.tensors.map((t, i) => [t.name, { shape: t.shape, data: parts[i] }]));
  for (const name of ['standard.mean', 'standard.scale']) if (!tensors[name]) throw usageError(`${flag} ${dir}: ${FOLDER.meta} lacks ${name}`);
  return { meta, tensors };
}

/** Logits `clips × classes` of a saved classifier for clips' per-frame features (standardised as in training). */
export async function classifierLogits(saved: SavedClassifier, features: ClipFeatures): Promise<Float32Array> {
  await initTf();
  const { dim, frames: steps } = features;
  const clips = features.vectors.length / dim;
  const standard = { mean: saved.tensors['standard.mean'].data, scale: saved.tensors['standard.scale'].data };
  if (saved.meta.head === 'probe') {
    // The probe's input: frames mean-pooled (not re-normalised), then standardised.
    const pooled = new Float32Array(clips * dim);
    for (let c = 0; c < clips; c++) for (let t = 0; t < steps; t++) for (let j = 0; j < dim; j++) pooled[c * dim + j] += features.frameVectors[(c * steps + t) * dim + j] / steps;
    return tf.tidy(() => {
      const x = tf.tensor2d(applyStandard(pooled, standard, dim), [clips, dim]);
      const w = tf.tensor2d(saved.tensors.w.data, saved.tensors.w.shape as [number, number]);
      return matMul(x, w).add(tf.tensor1d(saved.tensors.b.data)).dataSync() as Float32Array;
    }).slice();
  }
  if (steps !== saved.meta.steps) throw usageError(`the classifier was trained on ${saved.meta.steps} frames per clip, but this index samples ${steps}; evaluate with an index of the same sampling`);
  const net = new ReadoutNet(saved.meta.head, steps, dim, saved.meta.classes.length, 0, saved.tensors);
  try {
    return tf.tidy(() => net.forward(tf.tensor3d(applyStandard(features.frameVectors, standard, dim), [clips, steps, dim])).dataSync() as Float32Array).slice();
  } finally {
    net.dispose();
  }
}

/** A saved classifier as `eval classify --adapter DIR` uses it. */
export async function classifierScorer(dir: string): Promise<ClipScorer> {
  const saved = await loadClassifier(dir);
  const { meta } = saved;
  return {
    flag: '--adapter',
    dir,
    model: meta.model,
    labelPrefix: meta.labelPrefix,
    classes: meta.classes,
    describe: { kind: 'classifier', head: meta.head, trained: meta.created, dataset: meta.dataset, validation: meta.validation, config: meta.config },
    logits: (features) => classifierLogits(saved, features),
  };
}
