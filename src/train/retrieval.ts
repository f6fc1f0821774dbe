import { usageError } from '../core/errors.js';
import type { Matrix } from '../util/matrix.js';
import { mirMetrics } from '../eval/metrics/mir.js';
import { similarityMatrix, subMatrix } from '../eval/similarity.js';
import { openIndex } from '../indexing/open.js';
import { adapterSpec, adaptText, adaptVideo, type AdapterHeads } from '../heads/adapter/adapter.js';
import { saveAdapter } from '../heads/adapter/store.js';
import { initialWeights } from '../heads/spec.js';
import { linearTf } from '../heads/linear/linear.js';
import { temporalPoolTf } from '../heads/temporal-pool/temporal-pool.js';
import { Rng } from '../util/random.js';
import { VERSION } from '../core/version.js';
import { angularMarginNce, infoNce, smsLoss } from './losses.js';
import { loadCaptionedClips, pick, retrievalFeatures, type CaptionedTrainOptions } from './retrieval-data.js';
import { metaStep, perSampleLoss, WeightNet } from './meta.js';
import { RETRIEVAL_DEFAULTS, TEMPORAL_WIDTH } from './defaults.js';
import { trainLoop } from './loop.js';
import { headVariables, initTf, matMul, snapshotVariables, tf } from '../heads/tf.js';
import { clipKey } from '../eval/datasets/clips.js';

export type RetrievalLoss = 'infonce' | 'sms' | 'angular' | 'angular-meta';

export interface TrainRetrievalOptions extends CaptionedTrainOptions {
  loss: RetrievalLoss;
  margin?: number;
  /** angular-meta: share of training clips held out as the clean meta set when no clip has `"split": "meta"`. */
  metaShare?: number;
  /** Pool the video side's frames through a temporal head (REFERENCES §6): `true` for the default attention width, or a width. */
  temporal?: boolean | number;
}

export interface TrainSummary {
  out: string;
  loss: RetrievalLoss;
  backend: string;
  epochs: number;
  bestEpoch: number;
  zeroShot: number;
  best: number;
  metric: string;
  history: Array<{ epoch: number; loss: number; validation: number }>;
  seconds: number;
  train: { clips: number; captions: number };
  /** The video side's temporal head, when trained with one. */
  temporal: { width: number; steps: number } | null;
  /** angular-meta: the learned sample weight as a function of the sample's loss. */
  weightCurve?: Array<{ loss: number; weight: number }>;
  val: { clips: number; captions: number };
}

const METRIC = 'mAP (EK100 MIR), avg of both directions, over valid rows, validation split';

type Heads = AdapterHeads;

/** Validation score of heads (as plain arrays, applied as at search time) on the val clips and their captions. */
function validate(heads: Heads, f: FitInput): number {
  const { dim, rel, valClips, valCaps } = f;
  const steps = f.frames?.steps ?? 0;
  const t = adaptText(heads, pick(f.text, valCaps, dim), dim);
  const v = adaptVideo(heads, pick(f.video, valClips, dim), f.frames ? pick(f.frames.data, valClips, steps * dim) : new Float32Array(0), steps, dim);
  const sim = similarityMatrix(v, t, dim); // clips × captions
  const m = mirMetrics(sim, subMatrix(rel, valClips, valCaps));
  return (m.mAP.v2t.validMean + m.mAP.t2v.validMean) / 2;
}

/**
 * `vidlens train retrieval`: fits a linear head per modality on frozen clip and caption features
 * (heads start at the identity: epoch 0 is the zero-shot model) with symmetric InfoNCE, SMS on soft
 * relevance, or the angular-margin contrastive loss; keeps the epoch with the best validation mAP,
 * stops early, and saves the adapter with its config, model and validation history.
 */
export async function trainRetrieval(o: TrainRetrievalOptions): Promise<TrainSummary> {
  const started = performance.now();
  const backend = await initTf();
  const epochs = o.epochs ?? RETRIEVAL_DEFAULTS.epochs;
  const batchSize = o.batchSize ?? RETRIEVAL_DEFAULTS.batchSize;
  const lr = o.lr ?? RETRIEVAL_DEFAULTS.lr;
  const seed = o.seed ?? RETRIEVAL_DEFAULTS.seed;
  const { data, captions, captionClip, split } = await loadCaptionedClips(o.dataset, seed);
  let metaClips = data.clips.flatMap((c, i) => (c.split === 'meta' ? [i] : []));
  if (o.loss === 'angular-meta' && metaClips.length === 0) {
    const held = new Rng(seed + 1).shuffle(split.train).slice(0, Math.round(split.train.length * (o.metaShare ?? RETRIEVAL_DEFAULTS.metaShare)));
    metaClips = held.sort((a, b) => a - b);
    split.train = split.train.filter((c) => !metaClips.includes(c));
  }
  const temporalWidth = o.temporal === true ? TEMPORAL_WIDTH : o.temporal || undefined;
  if (o.loss === 'angular-meta' && temporalWidth) {
    throw usageError('--temporal is not available with --loss angular-meta: the meta step\'s virtual update covers the linear heads only; use --loss angular with --temporal, or angular-meta without it');
  }
  if (o.loss === 'angular-meta' && metaClips.filter((c) => data.clips[c].captions.length > 0).length < 2) {
    throw usageError(`--loss angular-meta needs a clean meta split of at least 2 clips with captions: mark some clips "split": "meta", or raise --meta-share (now ${o.metaShare ?? RETRIEVAL_DEFAULTS.metaShare})`);
  }

  const { catalog, encoder } = await openIndex(o.db, { model: o.model, create: true });
  try {
    const dim = encoder.manifest.dim;
    const { features, text, rel } = await retrievalFeatures({ data, captions, captionClip, split }, encoder, catalog, o);
    const valSet = new Set(split.val);
    const valCaps = captionClip.flatMap((c, j) => (valSet.has(c) ? [j] : []));
    const trainCaps = new Map<number, number[]>();
    captionClip.forEach((c, j) => trainCaps.set(c, [...(trainCaps.get(c) ?? []), j]));
    const trainClips = split.train.filter((c) => (trainCaps.get(c) ?? []).length > 0);
    // SMS samples positives among all captions relevant above 0.1 (REFERENCES §6); the others use the clip's own captions.
    const positives = new Map<number, number[]>();
    for (const c of trainClips) {
      if (o.loss !== 'sms') positives.set(c, trainCaps.get(c)!);
      else positives.set(c, captionClip.flatMap((owner, j) => (!valSet.has(owner) && rel.data[c * rel.cols + j] > 0.1 ? [j] : [])));
    }

    const fit = await fitRetrievalHeads({
      text, video: features.vectors, frames: temporalWidth ? { data: features.frameVectors, steps: features.frames } : undefined, temporalWidth, dim, captionClip, rel, trainClips, valClips: split.val, valCaps, positives, trainCaps, metaClips,
      loss: o.loss, epochs, batchSize, lr, temperature: o.temperature, margin: o.margin, patience: o.patience, seed, onEpoch: o.onEpoch,
    });
    const { best, history, zeroShot, weightCurve } = fit;
    const config = { temporal: temporalWidth ? { width: temporalWidth, steps: features.frames } : null, epochs, batchSize, lr, temperature: o.temperature ?? RETRIEVAL_DEFAULTS.temperature, margin: o.loss.startsWith('angular') ? (o.margin ?? RETRIEVAL_DEFAULTS.margin) : null, metaClips: o.loss === 'angular-meta' ? metaClips.length : null, weightCurve: weightCurve ?? null, patience: o.patience ?? RETRIEVAL_DEFAULTS.patience, seed, backend, optimizer: 'adam', relevancy: o.relevancy ?? 'label Jaccard', sampling: catalog.manifest!.sampling };
    await saveAdapter(o.out, {
      meta: {
        kind: 'retrieval',
        vidlens: VERSION,
        created: new Date().toISOString(),
        model: { id: encoder.manifest.id, sha256: encoder.manifest.sha256, dim },
        loss: o.loss,
        config,
        dataset: { path: data.path, sha256: data.sha256, train: trainClips.length, val: split.val.length, trainClips: trainClips.map((c) => clipKey(data.clips[c])) },
        validation: { metric: METRIC, history: history.map((h) => h.validation), best: best.score, bestEpoch: best.epoch, zeroShot },
      },
      ...best.heads,
    });
    return {
      out: o.out, loss: o.loss, backend, temporal: config.temporal, epochs: history.length, weightCurve, bestEpoch: best.epoch, zeroShot, best: best.score, metric: METRIC, history,
      seconds: (performance.now() - started) / 1000,
      train: { clips: trainClips.length, captions: trainClips.reduce((n, c) => n + trainCaps.get(c)!.length, 0) }, val: { clips: split.val.length, captions: valCaps.length },
    };
  } finally {
    await encoder.dispose();
  }
}

export interface FitInput {
  /** Caption features (captions × dim) and clip features (clips × dim), L2-normalised. */
  text: Float32Array;
  video: Float32Array;
  /** Per-frame clip features (`clips × steps × dim`), needed with a temporal head. */
  frames?: { data: Float32Array; steps: number };
  /** Train a temporal head of this attention width on the video side. */
  temporalWidth?: number;
  dim: number;
  captionClip: number[];
  /** Relevancy, clips × captions. */
  rel: Matrix;
  trainClips: number[];
  valClips: number[];
  valCaps: number[];
  /** Captions a training clip may be paired with, and its own captions. */
  positives: Map<number, number[]>;
  trainCaps: Map<number, number[]>;
  /** angular-meta: the clean meta clips. */
  metaClips?: number[];
  loss: RetrievalLoss;
  epochs: number;
  batchSize: number;
  lr: number;
  temperature?: number;
  margin?: number;
  patience?: number;
  seed: number;
  onEpoch?: TrainRetrievalOptions['onEpoch'];
}

export interface FitResult {
  best: { score: number; epoch: number; heads: Heads };
  history: TrainSummary['history'];
  zeroShot: number;
  weightCurve?: Array<{ loss: number; weight: number }>;
}

/** The training loop on features already in memory: mini-batches, Adam, validation each epoch, early stopping. */
export async function fitRetrievalHeads(f: FitInput): Promise<FitResult> {
  const { text, video, dim, rel, trainClips, positives, trainCaps, lr, batchSize, epochs } = f;
  if (f.temporalWidth && !f.frames) throw new Error('a temporal head needs per-frame features');
  const temporal = f.temporalWidth && f.frames ? { steps: f.frames.steps, width: f.temporalWidth } : undefined;
  const spec = adapterSpec(dim, temporal);
  const zero: Heads = { weights: initialWeights(spec, f.seed + 7), temporal };
  const zeroShot = validate(zero, f);
  const vars = headVariables(spec, zero.weights);
  const textAll = tf.tensor2d(text, [f.captionClip.length, dim]);
  const videoAll = tf.tensor2d(video, [rel.rows, dim]);
  const framesAll = f.frames ? tf.tensor3d(f.frames.data, [rel.rows, f.frames.steps, dim]) : undefined;
  const videoBatch = (clipIdx: number[]): tf.Tensor2D => (temporal && framesAll ? temporalPoolTf(vars, temporal, tf.gather(framesAll, clipIdx) as tf.Tensor3D) : (tf.gather(videoAll, clipIdx) as tf.Tensor2D));
  const relAll = tf.tensor2d(Float32Array.from(rel.data), [rel.rows, rel.cols]);
  const optimizer = tf.train.adam(lr);
  const rng = new Rng(f.seed);
  const snapshot = (): Heads => ({ weights: snapshotVariables(vars), temporal });
  const trainable = Object.values(vars);
  let result;
  const meta = f.loss === 'angular-meta' ? { net: new WeightNet(16, f.seed), optimizer: tf.train.adam(1e-3), maxLoss: 0 } : undefined;
  const headVars = { tw: vars['text.weight'], tb: vars['text.bias'], vw: vars['video.weight'], vb: vars['video.bias'] };
  try {
    const trainEpoch = async () => {
      const order = rng.shuffle(trainClips);
      let lossSum = 0;
      let batches = 0;
      for (let start = 0; start + 1 < order.length; start += batchSize) {
        const clipIdx = order.slice(start, start + batchSize);
        if (clipIdx.length < 2) break;
        const capIdx = clipIdx.map((c) => rng.pick(positives.get(c)!.length ? positives.get(c)! : trainCaps.get(c)!));
        if (meta) {
          const metaIdx = rng.shuffle(f.metaClips!.filter((c) => (trainCaps.get(c) ?? []).length > 0)).slice(0, batchSize);
          const metaCaps = metaIdx.map((c) => rng.pick(trainCaps.get(c)!));
          const batch = { text: tf.gather(textAll, capIdx) as tf.Tensor2D, video: tf.gather(videoAll, clipIdx) as tf.Tensor2D };
          const metaBatch = { text: tf.gather(textAll, metaCaps) as tf.Tensor2D, video: tf.gather(videoAll, metaIdx) as tf.Tensor2D };
          const hp = { margin: f.margin ?? RETRIEVAL_DEFAULTS.margin, temperature: f.temperature ?? RETRIEVAL_DEFAULTS.temperature };
          const step = metaStep(headVars, meta.net, meta.optimizer, batch, metaBatch, { alpha: 0.1, ...hp });
          const loss = optimizer.minimize(() => perSampleLoss(headVars, batch, hp.margin, hp.temperature).mul(step.weights).mean() as tf.Scalar, true) as tf.Scalar;
          const perSample = tf.tidy(() => perSampleLoss(headVars, batch, hp.margin, hp.temperature).max().dataSync()[0]);
          meta.maxLoss = Math.max(meta.maxLoss, perSample);
          lossSum += loss.dataSync()[0];
          for (const t of [loss, step.weights, batch.text, batch.video, metaBatch.text, metaBatch.video]) t.dispose();
          batches++;
          continue;
        }
        const loss = optimizer.minimize(() => {
          const t = linearTf(vars, 'text', tf.gather(textAll, capIdx) as tf.Tensor2D);
          const v = linearTf(vars, 'video', videoBatch(clipIdx));
          if (f.loss === 'sms') {
            const r = tf.gather(tf.gather(relAll, clipIdx), capIdx, 1) as tf.Tensor2D;
            return smsLoss(matMul(v, t.transpose()), r);
          }
          const sim = matMul(t, v.transpose());
          return f.loss === 'angular' ? angularMarginNce(sim, f.margin ?? RETRIEVAL_DEFAULTS.margin, f.temperature ?? RETRIEVAL_DEFAULTS.temperature) : infoNce(sim, f.temperature ?? RETRIEVAL_DEFAULTS.temperature);
        }, true, trainable) as tf.Scalar;
        lossSum += loss.dataSync()[0];
        loss.dispose();
        batches++;
      }
      return lossSum / Math.max(batches, 1);
    };
    result = await trainLoop({
      epochs, patience: f.patience ?? RETRIEVAL_DEFAULTS.patience, trainEpoch, onEpoch: f.onEpoch,
      start: { score: zeroShot, snapshot: zero },
      divergenceHint: `likely a learning rate too high (try --lr ${lr / 10}) or a temperature too small (--temperature)`,
      validate: () => {
        const heads = snapshot();
        return { score: validate(heads, f), snapshot: () => heads };
      },
    });
  } finally {
    for (const v of Object.values(vars)) v.dispose();
    textAll.dispose();
    videoAll.dispose();
    framesAll?.dispose();
    relAll.dispose();
    optimizer.dispose();
  }
  const weightCurve = meta ? meta.net.curve(meta.maxLoss || 1) : undefined;
  if (meta) {
    meta.net.dispose();
    meta.optimizer.dispose();
  }
  return { best: { score: result.best.score, epoch: result.best.epoch, heads: result.best.snapshot }, history: result.history, zeroShot, weightCurve };
}
