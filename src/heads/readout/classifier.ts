import { z } from 'zod';
import { readHeadFolder, splitPositional, writeHeadFolder, type HeadKind } from '../folder.js';
import { sizeOf, type HeadSpec, type HeadWeights } from '../spec.js';
import { initTf, matMul, tf } from '../tf.js';
import { readoutSpec, ReadoutNet } from './readout-net.js';
import { applyStandard, type Standardisation } from './standardise.js';
import { bestValidationSchema, headMetaSchema } from '../trained-on.js';

/**
 * A trained classifier on frozen features (`train probe` / `train readout --out DIR`): its head,
 * classes, the standardisation its input needs and its weights, so `eval classify --adapter DIR`
 * can score new clips with it.
 */
export const classifierMetaSchema = headMetaSchema.extend({
  kind: z.literal('classifier'),
  head: z.enum(['probe', 'mean', 'temporal', 'attentive']),
  labelPrefix: z.string(),
  /** Full labels in logit order, e.g. `motion:left`. */
  classes: z.array(z.string()).min(2),
  steps: z.number().int().positive(),
  validation: bestValidationSchema,
  /** Trained with a sigmoid per class (a clip may have several labels) instead of one softmax. */
  multiLabel: z.boolean().optional(),
});

export type ClassifierMeta = z.infer<typeof classifierMetaSchema>;

export interface SavedClassifier {
  meta: ClassifierMeta;
  /** The head's tensors plus `standard.mean` and `standard.scale` (the input standardisation). */
  weights: HeadWeights;
}

/** The probe is a linear layer on mean-pooled features; readouts are `readoutSpec`. Both carry their input standardisation. */
export function classifierSpec(m: ClassifierMeta): HeadSpec {
  const dim = m.model.dim;
  const classes = m.classes.length;
  const head: HeadSpec = m.head === 'probe'
    ? [{ name: 'w', shape: [dim, classes], init: 'zeros' }, { name: 'b', shape: [classes], init: 'zeros' }]
    : readoutSpec(m.head, m.steps, dim, classes);
  return [...head, { name: 'standard.mean', shape: [dim], init: 'zeros' }, { name: 'standard.scale', shape: [dim], init: 'ones' }];
}

export const CLASSIFIER_HEAD: HeadKind<ClassifierMeta> = {
  kind: 'classifier',
  what: 'a classifier',
  command: 'vidlens train probe|readout --out DIR',
  meta: classifierMetaSchema,
  spec: classifierSpec,
  // Before the one format: `classifier.json` listing its tensors (name, shape) in file order.
  legacy: {
    file: 'classifier.json',
    read: (json, floats) => {
      const listed = z.object({ tensors: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()) })) }).passthrough().safeParse(json);
      if (!listed.success) return 'does not list its tensors';
      const { tensors, ...meta } = listed.data;
      const weights = splitPositional(floats, tensors.map((t) => [t.name, sizeOf(t.shape)]));
      return typeof weights === 'string' ? weights : { meta, weights };
    },
  },
};

export async function saveClassifier(dir: string, meta: ClassifierMeta, weights: HeadWeights, standard: Standardisation): Promise<void> {
  await writeHeadFolder(dir, CLASSIFIER_HEAD, meta, { ...weights, 'standard.mean': standard.mean, 'standard.scale': standard.scale });
}

export async function loadClassifier(dir: string, flag = '--adapter'): Promise<SavedClassifier> {
  const { meta, weights } = await readHeadFolder(flag, dir, CLASSIFIER_HEAD);
  return { meta, weights };
}

/** What a classifier scores: a clip's pooled vector and its `frames` per-frame vectors, `dim` wide. */
export interface ClassifierInput {
  vectors: Float32Array;
  frameVectors: Float32Array;
  frames: number;
  dim: number;
}

/** Logits `clips × classes` of a saved classifier for clips' per-frame features (standardised as in training). */
export async function classifierLogits(saved: SavedClassifier, features: ClassifierInput): Promise<Float32Array> {
  await initTf();
  const { dim, frames: steps } = features;
  const clips = features.vectors.length / dim;
  const w = saved.weights;
  const standard = { mean: w['standard.mean'], scale: w['standard.scale'] };
  if (saved.meta.head === 'probe') {
    // The probe's input: frames mean-pooled (not re-normalised), then standardised.
    const pooled = new Float32Array(clips * dim);
    for (let c = 0; c < clips; c++) for (let t = 0; t < steps; t++) for (let j = 0; j < dim; j++) pooled[c * dim + j] += features.frameVectors[(c * steps + t) * dim + j] / steps;
    return tf.tidy(() => {
      const x = tf.tensor2d(applyStandard(pooled, standard, dim), [clips, dim]);
      return matMul(x, tf.tensor2d(w.w, [dim, saved.meta.classes.length])).add(tf.tensor1d(w.b)).dataSync() as Float32Array;
    }).slice();
  }
  // A clip sampled with another frame count maps the position embedding proportionally.
  const net = new ReadoutNet(saved.meta.head, saved.meta.steps, dim, saved.meta.classes.length, 0, w);
  try {
    return tf.tidy(() => net.forward(tf.tensor3d(applyStandard(features.frameVectors, standard, dim), [clips, steps, dim])).dataSync() as Float32Array).slice();
  } finally {
    net.dispose();
  }
}
