import { COLORS, SHAPES, SIZES } from '../../synth/grammar.js';
import { matMul, tf } from '../../heads/tf.js';
import type { Rng } from '../../util/random.js';
import { captionHolds, type FrameCaption, type FrameObject } from './frame-captions.js';

/** The two towers' L2-normalised embeddings and the learned temperature, as the losses need them. */
export interface ClipEmbedder {
  imageEmbeddings(frames: Uint8Array[]): tf.Tensor2D;
  /** The image embeddings and every patch token's embedding through the same projection ([frames·N, dim], row-major grid), normalised. */
  denseEmbeddings(frames: Uint8Array[]): { image: tf.Tensor2D; patches: tf.Tensor2D; grid: number };
  textEmbeddings(texts: string[]): tf.Tensor2D;
  readonly params: { logitScale: tf.Variable };
}

/** Multi-positive cross-entropy of each row: the target spreads evenly over the row's positives. */
function multiPositive(logits: tf.Tensor2D, positives: tf.Tensor2D): tf.Tensor1D {
  return positives.div(positives.sum(1, true).maximum(1e-8)).mul(tf.logSoftmax(logits, 1)).sum(1).neg() as tf.Tensor1D;
}

/**
 * CLIP's symmetric InfoNCE with a learned temperature, with every caption true of a frame counted as
 * its positive (the synthetic world's captions repeat and overlap: "a red object" is true of many frames).
 * `image` holds the frames' normalised embeddings.
 */
export function contrastiveLoss(model: ClipEmbedder, image: tf.Tensor2D, captions: FrameCaption[], objects: FrameObject[][]): tf.Scalar {
  const n = captions.length;
  const truth = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) truth[i * n + j] = i === j || captionHolds(captions[j], objects[i]) ? 1 : 0;
  const positives = tf.tensor2d(truth, [n, n]);
  const text = model.textEmbeddings(captions.map((c) => c.text));
  const logits = matMul(image, text.transpose()).mul(model.params.logitScale.exp()) as tf.Tensor2D;
  return multiPositive(logits, positives).mean().add(multiPositive(logits.transpose(), positives.transpose()).mean()).div(2) as tf.Scalar;
}

/** The weight of each attribute's term in the attribute loss; all 0 trains on InfoNCE alone. */
export interface AttributeWeights {
  shape: number;
  color: number;
  size: number;
}

/** How attribute names are phrased in the attribute loss: a few caption-like templates, one drawn per step. */
const ATTRIBUTE_TEMPLATES = ['{}', 'a {}', 'a video of {}.', 'a photo of {}', 'there is a {}'];

const ATTRIBUTE_FAMILIES = [
  { name: 'shape', values: SHAPES as readonly string[], of: (o: FrameObject): string => o.shape },
  { name: 'color', values: COLORS as readonly string[], of: (o: FrameObject): string => o.color },
  { name: 'size', values: SIZES as readonly string[], of: (o: FrameObject): string => o.size },
] as const;

/**
 * Attribute classification through the text tower: for shape, colour and size, each frame's
 * similarities to the names of every value (one template drawn per step) are a softmax whose targets are the values
 * in view, weighted per attribute. It trains both towers the way zero-shot classification reads them.
 * Without it shape stays near chance (31 % zero-shot on new frames, chance 25 %), and with the three
 * attributes weighted equally too: colour and size are learnt first and the towers settle there; shape,
 * trained alone, is learnt, so its term carries the larger weight (BENCHMARKS.md, pretraining).
 * Frames with nothing in view add nothing.
 */
export function attributeLoss(model: ClipEmbedder, image: tf.Tensor2D, objects: FrameObject[][], weights: AttributeWeights, rng: Rng): tf.Scalar {
  const template = rng.pick(ATTRIBUTE_TEMPLATES);
  const seen = objects.filter((objs) => objs.length > 0).length;
  if (seen === 0) return tf.scalar(0);
  const names = ATTRIBUTE_FAMILIES.flatMap((f) => f.values.map((v) => template.replaceAll('{}', v)));
  const text = model.textEmbeddings(names);
  const scale = model.params.logitScale.exp();
  let offset = 0;
  let total: tf.Scalar = tf.scalar(0);
  for (const family of ATTRIBUTE_FAMILIES) {
    const k = family.values.length;
    const present = new Float32Array(objects.length * k);
    objects.forEach((objs, i) => objs.forEach((o) => (present[i * k + family.values.indexOf(family.of(o))] = 1)));
    const logits = matMul(image, text.slice([offset, 0], [k, -1]).transpose()).mul(scale) as tf.Tensor2D;
    total = total.add(multiPositive(logits, tf.tensor2d(present, [objects.length, k])).sum().mul(weights[family.name] / seen));
    offset += k;
  }
  return total;
}

/** What a patch is labelled in the patch loss: the colour of the object drawn over its centre, or nothing. */
export const PATCH_CLASSES = [...COLORS, 'nothing in view'] as const;

/** Each patch's class (index into `PATCH_CLASSES`) on a `grid × grid` layout: the topmost disc over its centre wins. */
export function patchLabels(objects: FrameObject[], grid: number): Int32Array {
  const out = new Int32Array(grid * grid).fill(COLORS.length);
  for (let n = 0; n < grid * grid; n++) {
    const x = ((n % grid) + 0.5) / grid;
    const y = (Math.floor(n / grid) + 0.5) / grid;
    for (const o of objects) if (o.disc && Math.hypot(x - o.disc.x, y - o.disc.y) <= o.disc.r) out[n] = COLORS.indexOf(o.color);
  }
  return out;
}

/**
 * A dense term that keeps the patch tokens about their own patch: each patch's embedding (the patch token
 * through the class token's projection) is classified, through the text tower, as the colour of the object
 * over it or as "nothing in view", patches with and without an object weighted equally. Nothing else trains
 * the last layer's patch tokens (only the class token is pooled), which the point tracker reads: with the
 * attribute loss and without this term the tracker fell below its control (BENCHMARKS.md, "Why the patch loss").
 */
export function patchLoss(model: ClipEmbedder, patches: tf.Tensor2D, grid: number, objects: FrameObject[][]): tf.Scalar {
  const n = grid * grid;
  const k = PATCH_CLASSES.length;
  const target = new Float32Array(objects.length * n * k);
  const onObject = new Float32Array(objects.length * n);
  objects.forEach((objs, i) => patchLabels(objs, grid).forEach((label, p) => {
    target[(i * n + p) * k + label] = 1;
    onObject[i * n + p] = label < COLORS.length ? 1 : 0;
  }));
  const text = model.textEmbeddings([...PATCH_CLASSES]);
  const logits = matMul(patches, text.transpose()).mul(model.params.logitScale.exp()) as tf.Tensor2D;
  const perPatch = multiPositive(logits, tf.tensor2d(target, [objects.length * n, k]));
  const object = tf.tensor1d(onObject);
  const mean = (w: tf.Tensor1D) => perPatch.mul(w).sum().div(w.sum().maximum(1));
  return mean(object).add(mean(tf.onesLike(object).sub(object) as tf.Tensor1D)).div(2) as tf.Scalar;
}

/** The weights of the pretraining objective's terms beside InfoNCE. */
export interface PretrainObjective {
  attributeWeights: AttributeWeights;
  patchWeight: number;
}

/** The pretraining objective of one batch: InfoNCE plus the attribute and patch losses, on the same forward pass. */
export function pretrainLoss(model: ClipEmbedder, frames: Uint8Array[], captions: FrameCaption[], objects: FrameObject[][], objective: PretrainObjective, rng: Rng): tf.Scalar {
  const dense = objective.patchWeight > 0 ? model.denseEmbeddings(frames) : undefined;
  const image = dense?.image ?? model.imageEmbeddings(frames);
  let loss = contrastiveLoss(model, image, captions, objects);
  // With every weight 0 the attribute loss is not computed at all, so it draws no template: the InfoNCE-only
  // recipe (`infonce`) keeps the random stream, and so the model, it had before the attribute loss existed.
  if (Object.values(objective.attributeWeights).some((w) => w > 0)) loss = loss.add(attributeLoss(model, image, objects, objective.attributeWeights, rng));
  if (dense) loss = loss.add(patchLoss(model, dense.patches, dense.grid, objects).mul(objective.patchWeight));
  return loss;
}
