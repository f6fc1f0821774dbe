import { l2NormalizeRows } from '../../src/models/vectors.js';
import { Rng } from '../../src/util/random.js';

/**
 * Features with a planted structure that a frozen cosine cannot see but a trained head can:
 * `classes` kinds of clip; a caption is its class's code (one-hot plus noise); a clip's frames are the
 * code pushed through a fixed random mixing matrix (plus noise), so caption–clip cosine is near chance
 * and a linear map recovers it. With `ordered`, each class is a pair of patterns shown in one order
 * (even classes a→b, odd classes b→a): mean-pooled frames of the two orders are identical, only a
 * head that sees frame order can tell them apart.
 */
export interface Planted {
  dim: number;
  steps: number;
  clips: number;
  classes: number;
  labels: number[];
  text: Float32Array;
  /** Mean-pooled frames, L2-normalised (what the index stores as the segment vector). */
  video: Float32Array;
  frames: Float32Array;
  /** Same-class relevancy, clips × captions (one caption per clip, caption j belongs to clip j). */
  rel: { data: Float32Array; rows: number; cols: number };
  train: number[];
  val: number[];
}

export function planted(options: { clips: number; classes: number; dim?: number; steps?: number; ordered?: boolean; seed?: number; noise?: number }): Planted {
  const { clips, classes, dim = 16, steps = 4, ordered = false, seed = 1, noise = 0.1 } = options;
  const rng = new Rng(seed);
  const mix = Float32Array.from({ length: dim * dim }, () => rng.normal());
  const code = (k: number) => Float32Array.from({ length: dim }, (_, d) => (d === k ? 1 : 0) + noise * rng.normal());
  const mixed = (v: Float32Array) => Float32Array.from({ length: dim }, (_, o) => v.reduce((s, x, i) => s + x * mix[o * dim + i], 0));
  const pairs = Array.from({ length: Math.ceil(classes / 2) }, () => [Float32Array.from({ length: dim }, () => rng.normal()), Float32Array.from({ length: dim }, () => rng.normal())]);
  const labels = Array.from({ length: clips }, (_, i) => i % classes);
  const text = new Float32Array(clips * dim);
  const frames = new Float32Array(clips * steps * dim);
  for (let i = 0; i < clips; i++) {
    const k = labels[i];
    text.set(code(k), i * dim);
    for (let t = 0; t < steps; t++) {
      let frame: Float32Array;
      if (ordered) {
        const [a, b] = pairs[k >> 1];
        const w = k % 2 === 0 ? t / (steps - 1) : 1 - t / (steps - 1);
        frame = Float32Array.from({ length: dim }, (_, d) => (1 - w) * a[d] + w * b[d] + noise * rng.normal());
      } else {
        frame = mixed(code(k));
      }
      frames.set(frame, (i * steps + t) * dim);
    }
  }
  l2NormalizeRows(text, dim);
  l2NormalizeRows(frames, dim);
  const video = new Float32Array(clips * dim);
  for (let i = 0; i < clips; i++) for (let t = 0; t < steps; t++) for (let d = 0; d < dim; d++) video[i * dim + d] += frames[(i * steps + t) * dim + d] / steps;
  l2NormalizeRows(video, dim);
  const rel = { data: new Float32Array(clips * clips), rows: clips, cols: clips };
  for (let i = 0; i < clips; i++) for (let j = 0; j < clips; j++) rel.data[i * clips + j] = labels[i] === labels[j] ? 1 : 0;
  // Every fifth clip is held out: 5 is coprime with the class counts used, so every class is in both splits.
  const train = [...Array(clips).keys()].filter((i) => i % 5 !== 4);
  const val = [...Array(clips).keys()].filter((i) => i % 5 === 4);
  return { dim, steps, clips, classes, labels, text, video, frames, rel, train, val };
}
