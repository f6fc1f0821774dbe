import { firstNonFinite, mean, median, type Matrix } from '../../util/matrix.js';

/** How a tie with the ground truth's score counts: `optimistic` puts the ground truth first among equals; `average` takes the mean position of the tied block (collaborative-experts convention). */
export type TiePolicy = 'optimistic' | 'average';

export interface RankMetrics {
  R1: number;
  R5: number;
  R10: number;
  MedR: number;
  MnR: number;
  /** Number of queries ranked. */
  n: number;
}

export interface RetrievalMetrics {
  t2v: RankMetrics;
  v2t: RankMetrics;
  ties: TiePolicy;
}

/**
 * Ranks (1-based) of the ground truth from a count of strictly higher and of equal other scores.
 * Optimistic: higher + 1. Average: higher + 1 + equal/2.
 */
function rankOf(higher: number, equal: number, ties: TiePolicy): number {
  return ties === 'optimistic' ? higher + 1 : higher + 1 + equal / 2;
}

/**
 * R@1/5/10 (percent of queries whose ground truth ranks within K), MedR (numpy median) and MnR
 * (mean rank) from per-query ranks (MSR-VTT convention, REFERENCES §1).
 */
export function rankMetrics(ranks: ArrayLike<number>): RankMetrics {
  const n = ranks.length;
  const within = (k: number) => {
    let c = 0;
    for (let i = 0; i < n; i++) if (ranks[i] <= k) c++;
    return (100 * c) / n;
  };
  return { R1: within(1), R5: within(5), R10: within(10), MedR: median(ranks), MnR: mean(ranks), n };
}

function assertFinite(sim: Matrix): void {
  const bad = firstNonFinite(sim);
  if (bad) throw new RangeError(`similarity matrix has a non-finite value ${bad.value} at row ${bad.row}, column ${bad.col}`);
}

/**
 * Text→video and video→text retrieval metrics for a similarity matrix `sim` of captions × videos.
 * `captionVideo[i]` is the video of caption i; when omitted, `sim` must be square with the ground
 * truth on the diagonal (one caption per video, MSR-VTT 1k-A). With several captions per video,
 * text→video ranks each caption, and video→text takes for each video the best rank over its captions.
 */
export function retrievalMetrics(sim: Matrix, options: { captionVideo?: ArrayLike<number>; ties?: TiePolicy } = {}): RetrievalMetrics {
  const ties = options.ties ?? 'optimistic';
  const { rows, cols, data } = sim;
  let captionVideo = options.captionVideo;
  if (!captionVideo) {
    if (rows !== cols) throw new RangeError(`one caption per video needs a square matrix, got ${rows}×${cols}`);
    captionVideo = Uint32Array.from({ length: rows }, (_, i) => i);
  }
  if (captionVideo.length !== rows) throw new RangeError(`captionVideo has ${captionVideo.length} entries for ${rows} captions`);
  assertFinite(sim);

  const t2v = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = captionVideo[i];
    if (v < 0 || v >= cols) throw new RangeError(`caption ${i} points at video ${v}, outside 0..${cols - 1}`);
    const offset = i * cols;
    const gt = data[offset + v];
    let higher = 0;
    let equal = 0;
    for (let j = 0; j < cols; j++) {
      const s = data[offset + j];
      if (s > gt) higher++;
      else if (s === gt) equal++;
    }
    t2v[i] = rankOf(higher, equal - 1, ties);
  }

  // Video→text: rank caption i among all captions in column v = captionVideo[i]. One pass over rows
  // (cache-friendly): for every column j, count captions scoring above/equal to each ground-truth score.
  const v2tBest = new Float64Array(cols).fill(Infinity);
  const higher = new Uint32Array(rows);
  const equal = new Uint32Array(rows);
  const byVideo: number[][] = Array.from({ length: cols }, () => []);
  for (let i = 0; i < rows; i++) byVideo[captionVideo[i]].push(i);
  for (let r = 0; r < rows; r++) {
    const offset = r * cols;
    for (let v = 0; v < cols; v++) {
      const gts = byVideo[v];
      if (gts.length === 0) continue;
      const s = data[offset + v];
      for (const i of gts) {
        const gt = data[i * cols + v];
        if (s > gt) higher[i]++;
        else if (s === gt) equal[i]++;
      }
    }
  }
  for (let i = 0; i < rows; i++) {
    const v = captionVideo[i];
    v2tBest[v] = Math.min(v2tBest[v], rankOf(higher[i], equal[i] - 1, ties));
  }
  const v2t = Array.from(v2tBest).filter((r) => Number.isFinite(r));
  return { t2v: rankMetrics(t2v), v2t: rankMetrics(v2t), ties };
}

/**
 * Dual softmax post-processing (DSL): `S ⊙ softmax(S/τ, axis=0) · n`, n the number of rows, a
 * prior over the query axis that sharpens one-to-one matches. Reported as its own row, never silently.
 */
export function dualSoftmax(sim: Matrix, temperature = 0.01): Matrix {
  const { rows, cols, data } = sim;
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    let max = -Infinity;
    for (let i = 0; i < rows; i++) max = Math.max(max, data[i * cols + j] / temperature);
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += Math.exp(data[i * cols + j] / temperature - max);
    for (let i = 0; i < rows; i++) {
      const k = i * cols + j;
      out[k] = data[k] * (Math.exp(data[k] / temperature - max) / sum) * rows;
    }
  }
  return { data: out, rows, cols };
}

/** The gallery a text→video query ranks against, and what random ranking scores on it. */
export interface GalleryChance {
  clips: number;
  /** Expected text→video R@K (%) of a random ranking with one relevant clip: 100·min(K, clips)/clips. */
  R1: number;
  R5: number;
  R10: number;
  /** Expected rank of a random ranking: (clips + 1) / 2. */
  MedR: number;
}

/** Chance levels of text→video retrieval on a gallery of `clips`, so that "R@10 = 100 on 8 clips" reads as what it is. */
export function galleryChance(clips: number): GalleryChance {
  const at = (k: number) => (100 * Math.min(k, clips)) / clips;
  return { clips, R1: at(1), R5: at(5), R10: at(10), MedR: (clips + 1) / 2 };
}
