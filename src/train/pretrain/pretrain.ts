import type { OnProgress } from '../../core/events.js';
import { packFrames, pixelSpecFrom, preprocessorSchema, type PixelSpec } from '../../models/preprocess.js';
import { clipTokenizer, type TokenBatch } from '../../models/tiny/tokenize.js';
import { clipTokenizerJson } from '../../models/tiny/tokenizer.js';
import { clipPreprocessorConfig, MAX_TEXT_POSITIONS } from '../../models/tiny/write.js';
import { captionWords } from '../../synth/annotations.js';
import { CELL_NAMES, COLORS, SHAPES, SIZES } from '../../synth/grammar.js';
import { initTf, tf } from '../../heads/tf.js';
import { Rng } from '../../util/random.js';
import { similarityMatrix } from '../../eval/similarity.js';
import { AdamW } from '../adamw.js';
import { initClipParams, patchify, textForward, visionForward, visionForwardDense, type ClipParams, type ClipSizes } from './clip-tf.js';
import { captionFrame, FRAME_CAPTION_WORDS, type FrameCaption, type FrameObject } from './frame-captions.js';
import { pretrainLoss, type AttributeWeights } from './losses.js';
import { pretrainFrames } from './frames.js';
import { trainingBatch } from './augment.js';
import { singleObjectTop1, zeroShotPrompt } from './zero-shot.js';

export type TowerSizes = Omit<ClipSizes, 'vocabSize' | 'maxPositions'>;

export interface PretrainOptions {
  seed: number;
  /** Synthetic lab clips rendered for training (the first `heldOutClips` are held out for validation). */
  clips: number;
  heldOutClips: number;
  framesPerClip: number;
  epochs: number;
  batch: number;
  lr: number;
  weightDecay: number;
  /** Weights of the attribute loss's terms (`attributeLoss`), added to InfoNCE. */
  attributeWeights: AttributeWeights;
  /** Weight of the patch loss (`patchLoss`), added to InfoNCE; 0 leaves the patch tokens untrained. */
  patchWeight: number;
  /** Mirror each training frame left to right with probability ½ (`trainingBatch`); off draws nothing from the seed's stream. */
  mirror?: boolean;
  sizes: TowerSizes;
  onProgress?: OnProgress;
  onLog?: (line: string) => void;
}

/** One epoch of the pretraining curve. */
export interface PretrainEpoch {
  epoch: number;
  loss: number;
  validationLoss: number;
  /** Zero-shot top-1 (%) on held-out single-object frames, prompt "a video of {}.". */
  color: number;
  shape: number;
  size: number;
  temperature: number;
  seconds: number;
}

export interface PretrainResult {
  params: ClipParams;
  sizes: ClipSizes;
  words: string[];
  history: PretrainEpoch[];
  data: { clips: number; trainFrames: number; validationFrames: number; dataSeconds: number };
}

/** The tokenizer's whole-word vocabulary: frame captions, clip captions, cell names and attributes. */
export function pretrainWords(): string[] {
  const all = [...FRAME_CAPTION_WORDS, ...captionWords(), ...CELL_NAMES.flatMap((c) => c.split(' ')), ...SHAPES, ...COLORS, ...SIZES];
  return [...new Set(all)].filter((w) => /^[a-z]{2,}$/.test(w)).sort();
}

/** The pixel normalisation the exported model's preprocessor config gives, read the way inference reads it. */
function clipPixelSpec(imageSize: number): PixelSpec {
  return pixelSpecFrom(preprocessorSchema.parse(clipPreprocessorConfig(imageSize)));
}

/** L2-normalised embeddings of both towers, as `Encoder.embedFrames` / `embedTexts` return them. */
export class ClipTf {
  readonly tokenize: (texts: string[]) => TokenBatch;

  constructor(
    readonly params: ClipParams,
    readonly sizes: ClipSizes,
    readonly words: string[],
  ) {
    this.tokenize = clipTokenizer(words, sizes.maxPositions);
  }

  patches(frames: Uint8Array[]): tf.Tensor3D {
    const { imageSize, patch } = this.sizes;
    const data = patchify(packFrames(frames, clipPixelSpec(imageSize)), frames.length, imageSize, patch);
    return tf.tensor3d(data, [frames.length, (imageSize / patch) ** 2, 3 * patch * patch]);
  }

  imageEmbeddings(frames: Uint8Array[]): tf.Tensor2D {
    return l2(visionForward(this.params.vision, this.sizes, this.patches(frames)));
  }

  denseEmbeddings(frames: Uint8Array[]): { image: tf.Tensor2D; patches: tf.Tensor2D; grid: number } {
    const { image, patches } = visionForwardDense(this.params.vision, this.sizes, this.patches(frames));
    return { image: l2(image), patches: l2(patches), grid: this.sizes.imageSize / this.sizes.patch };
  }

  textEmbeddings(texts: string[]): tf.Tensor2D {
    const t = this.tokenize(texts);
    return l2(textForward(this.params.text, this.sizes, t.ids, t.mask, t.length));
  }

  /** Embeddings as plain arrays, in batches (inference only). */
  embed(kind: 'frames', items: Uint8Array[]): Float32Array;
  embed(kind: 'texts', items: string[]): Float32Array;
  embed(kind: 'frames' | 'texts', items: Uint8Array[] | string[]): Float32Array {
    const out = new Float32Array(items.length * this.sizes.dim);
    for (let i = 0; i < items.length; i += 256) {
      const chunk = items.slice(i, i + 256);
      const e = tf.tidy(() => (kind === 'frames' ? this.imageEmbeddings(chunk as Uint8Array[]) : this.textEmbeddings(chunk as string[])));
      out.set(e.dataSync(), i * this.sizes.dim);
      e.dispose();
    }
    return out;
  }
}

function l2(x: tf.Tensor2D): tf.Tensor2D {
  return x.div(x.norm('euclidean', 1, true).add(1e-8));
}

/** Zero-shot top-1 (%) of one attribute on single-object frames (`singleObjectTop1`). */
function attributeAccuracy(model: ClipTf, image: Float32Array, objects: FrameObject[][], values: readonly string[], of: (o: FrameObject) => string): number {
  return singleObjectTop1(similarityMatrix(image, model.embed('texts', values.map(zeroShotPrompt)), model.sizes.dim), objects, values, of);
}

/**
 * Contrastive image–text pretraining of a small CLIP on frames of the synthetic lab domain (seeded,
 * reproducible): frames never see time, so motion is left for temporal heads to learn.
 */
export async function pretrainClip(o: PretrainOptions): Promise<PretrainResult> {
  await initTf();
  const words = pretrainWords();
  const sizes: ClipSizes = { ...o.sizes, vocabSize: clipTokenizerJson(words).vocabSize, maxPositions: MAX_TEXT_POSITIONS };
  const started = performance.now();
  const data = await pretrainFrames({ seed: o.seed, clips: o.clips, framesPerClip: o.framesPerClip, imageSize: sizes.imageSize, onProgress: o.onProgress });
  const dataSeconds = (performance.now() - started) / 1000;
  const train: number[] = [];
  const held: number[] = [];
  data.clip.forEach((c, i) => (c < o.heldOutClips ? held : train).push(i));

  const rng = new Rng(o.seed);
  const model = new ClipTf(initClipParams(sizes, rng), sizes, words);
  const variables = [...Object.values(model.params.vision), ...Object.values(model.params.text), model.params.logitScale];
  const decayed = variables.filter((v) => v.shape.length === 2 && v !== model.params.logitScale);
  const steps = Math.floor(train.length / o.batch);
  const optimizer = new AdamW(o.lr, o.weightDecay, steps * o.epochs);
  const heldRng = new Rng(o.seed + 1);
  const heldCaptions = held.map((i) => captionFrame(heldRng, data.objects[i]));
  const history: PretrainEpoch[] = [];
  const maxScale = Math.log(100);

  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const order = rng.shuffle(train);
    let total = 0;
    for (let s = 0; s < steps; s++) {
      const idx = order.slice(s * o.batch, (s + 1) * o.batch);
      const { frames, objects } = trainingBatch(data, idx, sizes.imageSize, () => o.mirror === true && rng.uniform() < 0.5);
      const captions = objects.map((objs) => captionFrame(rng, objs));
      total += optimizer.step(() => pretrainLoss(model, frames, captions, objects, o, rng), variables, decayed);
      tf.tidy(() => model.params.logitScale.assign(model.params.logitScale.minimum(maxScale)));
      o.onProgress?.({ task: `pretraining epoch ${epoch}/${o.epochs}`, done: s + 1, total: steps, unit: 'steps', item: `loss ${(total / (s + 1)).toFixed(3)}` });
      if (s % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
    const validationLoss = held.length >= 2 ? validationLossOf(model, held.map((i) => data.rgb[i]), heldCaptions, held.map((i) => data.objects[i]), o) : NaN;
    const heldObjects = held.map((i) => data.objects[i]);
    const image = model.embed('frames', held.map((i) => data.rgb[i]));
    const record: PretrainEpoch = {
      epoch,
      loss: total / steps,
      validationLoss,
      color: attributeAccuracy(model, image, heldObjects, COLORS, (x) => x.color),
      shape: attributeAccuracy(model, image, heldObjects, SHAPES, (x) => x.shape),
      size: attributeAccuracy(model, image, heldObjects, SIZES, (x) => x.size),
      temperature: 1 / Math.exp(model.params.logitScale.dataSync()[0]),
      seconds: (performance.now() - started) / 1000,
    };
    history.push(record);
    o.onLog?.(`epoch ${epoch}: loss ${record.loss.toFixed(3)}, validation ${record.validationLoss.toFixed(3)}, colour ${record.color.toFixed(1)} %, shape ${record.shape.toFixed(1)} %, size ${record.size.toFixed(1)} %, τ ${record.temperature.toFixed(4)}, ${record.seconds.toFixed(0)} s`);
  }
  optimizer.dispose();
  return { params: model.params, sizes, words, history, data: { clips: o.clips, trainFrames: train.length, validationFrames: held.length, dataSeconds } };
}

/** The training objective on held-out frames, in whole batches, with its own seeded template draws. */
function validationLossOf(model: ClipTf, frames: Uint8Array[], captions: FrameCaption[], objects: FrameObject[][], o: PretrainOptions): number {
  const rng = new Rng(o.seed + 2);
  let sum = 0;
  let count = 0;
  for (let i = 0; i + o.batch <= frames.length; i += o.batch) {
    const loss = tf.tidy(() => pretrainLoss(model, frames.slice(i, i + o.batch), captions.slice(i, i + o.batch), objects.slice(i, i + o.batch), o, rng));
    sum += loss.dataSync()[0];
    loss.dispose();
    count++;
  }
  return count ? sum / count : NaN;
}
