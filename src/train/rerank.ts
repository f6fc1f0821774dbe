import { usageError } from '../core/errors.js';
import { transpose, type Matrix } from '../util/matrix.js';
import { mirMetrics } from '../eval/metrics/mir.js';
import { EVAL_RERANK_K, rerankRows } from '../eval/rerank.js';
import { similarityMatrix, subMatrix } from '../eval/similarity.js';
import { openIndex } from '../indexing/open.js';
import { adaptText, adaptVideo } from '../heads/adapter/adapter.js';
import { loadRankers } from '../heads/rankers.js';
import { Reranker, type RerankerShape, type RerankerWeights } from '../heads/reranker/reranker.js';
import { saveReranker } from '../heads/reranker/store.js';
import { Rng } from '../util/random.js';
import { VERSION } from '../core/version.js';
import { RerankerVars } from '../heads/reranker/reranker-tf.js';
import { loadCaptionedClips, pick, retrievalFeatures, type CaptionedTrainOptions } from './retrieval-data.js';
import { initTf, tf } from '../heads/tf.js';
import { RERANK_DEFAULTS } from './defaults.js';
import { trainLoop } from './loop.js';
import { clipKey } from '../eval/datasets/clips.js';

/** `batchSize` counts captions per step. */
export interface TrainRerankOptions extends CaptionedTrainOptions {
  /** Candidates per training caption: its own clip and the first stage's hardest others. */
  candidates?: number;
  /** How many first-stage results are re-scored (validation; the default for search and eval). */
  rerankK?: number;
  width?: number;
  heads?: number;
  /** A retrieval adapter folder: the first stage to rerank (its scores and hard negatives) instead of the frozen model. */
  adapter?: string;
}

export interface RerankSummary {
  out: string;
  backend: string;
  shape: RerankerShape;
  epochs: number;
  bestEpoch: number;
  /** Validation score of the first stage alone, and the best with the reranker. */
  firstStage: number;
  best: number;
  metric: string;
  history: Array<{ epoch: number; loss: number; validation: number }>;
  seconds: number;
  train: { clips: number; captions: number };
  val: { clips: number; captions: number };
}

const metricFor = (k: number) => `mAP (EK100 MIR), text→video, over valid rows, validation split, top ${k} reranked`;

/** Each training caption's candidates: its own clip first, then the other training clips the frozen model ranks highest. */
function hardCandidates(text: Float32Array, video: Float32Array, dim: number, captions: number[], captionClip: number[], clips: number[], k: number) {
  return captions.map((j) => {
    const own = captionClip[j];
    const scored = clips.map((c) => {
      let s = 0;
      for (let d = 0; d < dim; d++) s += text[j * dim + d] * video[c * dim + d];
      return { c, s };
    });
    const ownScore = scored.find((x) => x.c === own)!.s;
    const others = scored.filter((x) => x.c !== own).sort((a, b) => b.s - a.s).slice(0, k - 1);
    return { caption: j, clips: [own, ...others.map((x) => x.c)], s0: [ownScore, ...others.map((x) => x.s)] };
  });
}

/**
 * `vidlens train rerank`: trains the cross-modal refinement reranker on frozen features. Each
 * training caption is scored against its own clip and the first stage's hardest negatives among
 * the training clips (of the frozen model, or of `--adapter`'s heads: the first stage it will rerank); the loss is cross-entropy of the temperature-scaled scores against the
 * candidates' relevancy (normalised). Validation reranks the top k of every validation caption;
 * the best epoch is kept and training stops early.
 */
export async function trainRerank(o: TrainRerankOptions): Promise<RerankSummary> {
  const started = performance.now();
  const backend = await initTf();
  const seed = o.seed ?? RERANK_DEFAULTS.seed;
  const epochs = o.epochs ?? RERANK_DEFAULTS.epochs;
  const batchSize = o.batchSize ?? RERANK_DEFAULTS.batchSize;
  const rerankK = o.rerankK ?? EVAL_RERANK_K;
  const temperature = o.temperature ?? RERANK_DEFAULTS.temperature;
  const c = await loadCaptionedClips(o.dataset, seed);
  const { catalog, encoder } = await openIndex(o.db, { model: o.model, create: true });
  try {
    const dim = encoder.manifest.dim;
    const { features, text, rel } = await retrievalFeatures(c, encoder, catalog, o);
    const steps = features.frames;
    const width = o.width ?? RERANK_DEFAULTS.width;
    const heads = o.heads ?? RERANK_DEFAULTS.heads;
    if (width % heads !== 0) throw usageError(`--width ${width} must be a multiple of --heads ${heads}`);
    const shape: RerankerShape = { dim, steps, width, heads, hidden: 2 * width };
    const { adapter } = await loadRankers({ adapter: o.adapter }, encoder.manifest);
    const firstStage = adapter
      ? { text: adaptText(adapter, text, dim), video: adaptVideo(adapter, features.vectors, features.frameVectors, steps, dim) }
      : undefined;
    const fit = await fitReranker({
      text, video: features.vectors, frames: features.frameVectors, rel, captionClip: c.captionClip, trainClips: c.split.train, valClips: c.split.val, shape,
      epochs, batchSize, candidates: o.candidates ?? RERANK_DEFAULTS.candidates, rerankK, lr: o.lr ?? RERANK_DEFAULTS.lr, temperature, patience: o.patience ?? RERANK_DEFAULTS.patience, seed, onEpoch: o.onEpoch, firstStage,
    });
    const { best, history, k, trainCaps, valCaps } = fit;
    const metric = metricFor(rerankK);
    await saveReranker(
      o.out,
      {
        kind: 'reranker',
        vidlens: VERSION,
        created: new Date().toISOString(),
        model: { id: encoder.manifest.id, sha256: encoder.manifest.sha256, dim },
        shape,
        config: { epochs, batchSize, candidates: k, rerankK, lr: o.lr ?? RERANK_DEFAULTS.lr, temperature, patience: o.patience ?? RERANK_DEFAULTS.patience, seed, backend, optimizer: 'adam', relevancy: o.relevancy ?? 'label Jaccard', sampling: catalog.manifest!.sampling },
        dataset: { path: c.data.path, sha256: c.data.sha256, train: c.split.train.length, val: c.split.val.length, trainClips: c.split.train.map((i) => clipKey(c.data.clips[i])) },
        validation: { metric, history: history.map((h) => h.validation), best: best.score, bestEpoch: best.epoch, firstStage: fit.firstStage },
        firstStageAdapter: adapter ? { path: o.adapter!, sha256: adapter.sha256 } : null,
      },
      best.weights,
    );
    return {
      out: o.out, backend, shape, epochs: history.length, bestEpoch: best.epoch, firstStage: fit.firstStage, best: best.score, metric, history,
      seconds: (performance.now() - started) / 1000,
      train: { clips: c.split.train.length, captions: trainCaps.length }, val: { clips: c.split.val.length, captions: valCaps.length },
    };
  } finally {
    await encoder.dispose();
  }
}

export interface FitRerankInput {
  /** Frozen caption features (`captions × dim`), pooled clip features (`clips × dim`) and frames (`clips × steps × dim`). */
  text: Float32Array;
  video: Float32Array;
  frames: Float32Array;
  /** Relevancy, clips × captions. */
  rel: Matrix;
  captionClip: number[];
  trainClips: number[];
  valClips: number[];
  shape: RerankerShape;
  epochs: number;
  batchSize: number;
  candidates: number;
  rerankK: number;
  lr: number;
  temperature: number;
  patience: number;
  seed: number;
  onEpoch?: TrainRerankOptions['onEpoch'];
  /** The first stage's caption and clip vectors (an adapter's), when it is not the frozen features. */
  firstStage?: { text: Float32Array; video: Float32Array };
}

/** The training loop on features in memory: hard-negative batches, Adam, validation by reranking, early stopping. */
export async function fitReranker(f: FitRerankInput) {
  const { text, rel, shape, rerankK, temperature, seed, epochs, batchSize } = f;
  const { dim, steps } = shape;
  await initTf();
  const trainSet = new Set(f.trainClips);
  const valSet = new Set(f.valClips);
  const trainCaps = f.captionClip.flatMap((clip, j) => (trainSet.has(clip) ? [j] : []));
  const valCaps = f.captionClip.flatMap((clip, j) => (valSet.has(clip) ? [j] : []));
  const k = Math.min(f.candidates, f.trainClips.length);
  const stage = f.firstStage ?? { text, video: f.video };
  const candidates = hardCandidates(stage.text, stage.video, dim, trainCaps, f.captionClip, f.trainClips, k);

  const valText = pick(text, valCaps, dim);
  const valSim = similarityMatrix(pick(stage.text, valCaps, dim), pick(stage.video, f.valClips, dim), dim); // captions × clips
  const valRel = subMatrix(rel, f.valClips, valCaps);
  const valFrames = pick(f.frames, f.valClips, steps * dim);
  const score = (sim: Matrix) => mirMetrics(transpose(sim), valRel).mAP.t2v.validMean;
  const validate = (weights: RerankerWeights) => {
    const reranker = new Reranker(shape, weights);
    const videos = f.valClips.map((_, i) => reranker.prepareVideo(valFrames.subarray(i * steps * dim, (i + 1) * steps * dim)));
    const texts = valCaps.map((_, i) => reranker.prepareText(valText.subarray(i * dim, (i + 1) * dim)));
    return score(rerankRows(valSim, rerankK, (row, col, s0) => reranker.score(texts[row], videos[col], s0)));
  };

  const vars = new RerankerVars(shape, seed + 11);
  const textAll = tf.tensor2d(text, [f.captionClip.length, dim]);
  const framesAll = tf.tensor3d(f.frames, [rel.rows, steps, dim]);
  const optimizer = tf.train.adam(f.lr);
  const rng = new Rng(seed);
  const firstStage = score(valSim);
  let result;
  try {
    const trainEpoch = () => {
      const order = rng.shuffle(candidates);
      let lossSum = 0;
      let batches = 0;
      for (let s = 0; s < order.length; s += batchSize) {
        const batch = order.slice(s, s + batchSize);
        const q = batch.length;
        const targets = batch.flatMap((b) => {
          const r = b.clips.map((clip) => rel.data[clip * rel.cols + b.caption]);
          const sum = r.reduce((x, y) => x + y, 0);
          return sum > 0 ? r.map((x) => x / sum) : r.map((_, i) => (i === 0 ? 1 : 0));
        });
        const loss = optimizer.minimize(() => {
          const t = tf.gather(textAll, batch.map((b) => b.caption)) as tf.Tensor2D;
          const clipFrames = tf.gather(framesAll, batch.flatMap((b) => b.clips)).reshape([q, k, steps, dim]) as tf.Tensor4D;
          const scores = vars.score(t, clipFrames, tf.tensor2d(batch.flatMap((b) => b.s0), [q, k]));
          return tf.losses.softmaxCrossEntropy(tf.tensor2d(targets, [q, k]), scores.div(temperature)) as tf.Scalar;
        }, true, vars.variables) as tf.Scalar;
        lossSum += loss.dataSync()[0];
        loss.dispose();
        batches++;
      }
      return lossSum / Math.max(batches, 1);
    };
    result = await trainLoop({
      epochs, patience: f.patience, trainEpoch, onEpoch: f.onEpoch,
      start: { score: firstStage, snapshot: vars.snapshot() },
      divergenceHint: `likely a learning rate too high (try --lr ${f.lr / 10}) or a temperature too small (--temperature)`,
      validate: () => {
        const weights = vars.snapshot();
        return { score: validate(weights), snapshot: () => weights };
      },
    });
  } finally {
    vars.dispose();
    textAll.dispose();
    framesAll.dispose();
    optimizer.dispose();
  }
  const best = { score: result.best.score, epoch: result.best.epoch, weights: result.best.snapshot };
  return { best, history: result.history, firstStage, k, trainCaps, valCaps };
}
