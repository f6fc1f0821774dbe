import { usageError } from '../core/errors.js';
import { captionSet, embedTexts } from '../features/captions.js';
import { clipFeatures, type ClipFeatures } from '../features/clip-features.js';
import { labelRelevance, loadRelevancy } from '../features/relevancy.js';
import { loadClipsJsonl, type Clip, type ClipDataset } from '../eval/datasets/clips.js';
import type { Matrix } from '../util/matrix.js';
import type { Encoder } from '../models/encoder.js';
import type { Catalog } from '../store/catalog.js';
import { Rng } from '../util/random.js';
import type { EpochEvent, OnProgress } from '../core/events.js';

/** What the trainers on captioned clips (retrieval adapter, reranker) take in common. */
export interface CaptionedTrainOptions {
  db: string;
  dataset: string;
  out: string;
  model?: string;
  relevancy?: string;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  temperature?: number;
  /** Epochs without validation improvement before stopping. */
  patience?: number;
  seed?: number;
  onEpoch?: (e: EpochEvent) => void;
  onProgress?: OnProgress;
}

/** A captioned clips dataset, its captions flattened, and its train/val clip indices. */
export interface CaptionedClips {
  data: ClipDataset;
  captions: string[];
  /** The clip each caption belongs to. */
  captionClip: number[];
  split: { train: number[]; val: number[] };
}

/** Train/val clip indices: the dataset's `split` field, else a seeded 80/20 split. */
function splits(clips: Clip[], seed: number): { train: number[]; val: number[] } {
  if (clips.some((c) => c.split)) {
    return { train: clips.flatMap((c, i) => (c.split === 'train' ? [i] : [])), val: clips.flatMap((c, i) => (c.split === 'val' ? [i] : [])) };
  }
  const order = new Rng(seed).shuffle(clips.map((_, i) => i));
  const cut = Math.round(order.length * 0.8);
  return { train: order.slice(0, cut).sort((a, b) => a - b), val: order.slice(cut).sort((a, b) => a - b) };
}

export async function loadCaptionedClips(dataset: string, seed: number): Promise<CaptionedClips> {
  const data = await loadClipsJsonl(dataset);
  const { captions, captionClip } = captionSet(data.clips);
  const split = splits(data.clips, seed);
  if (split.train.length < 2) throw usageError(`--dataset ${dataset}: ${split.train.length} training clip(s); at least 2 with captions are needed`);
  if (split.val.length === 0) throw usageError(`--dataset ${dataset}: no validation clips (give some clips "split": "val")`);
  return { data, captions, captionClip, split };
}

export interface RetrievalFeatures {
  features: ClipFeatures;
  /** Caption features, `captions × dim`. */
  text: Float32Array;
  /** Relevancy, clips × captions: `--relevancy`, else label overlap. */
  rel: Matrix;
}

/** Frozen features of the clips (embedded at their spans, cached in the index) and captions, and the relevancy. */
export async function retrievalFeatures(
  c: CaptionedClips,
  encoder: Encoder,
  catalog: Catalog,
  options: { relevancy?: string; onProgress?: OnProgress },
): Promise<RetrievalFeatures> {
  const features = await clipFeatures(c.data.clips, c.data.path, encoder, catalog, { onProgress: options.onProgress });
  const text = await embedTexts(encoder, c.captions);
  const rel = options.relevancy ? await loadRelevancy(options.relevancy, c.data.clips.length, c.captions.length) : labelRelevance(c.data.clips, c.captionClip);
  return { features, text, rel };
}

/** The given rows (each `width` floats long) of a row-major array, in order. */
export function pick(rows: Float32Array, idx: number[], width: number): Float32Array {
  const out = new Float32Array(idx.length * width);
  idx.forEach((r, i) => out.set(rows.subarray(r * width, (r + 1) * width), i * width));
  return out;
}
