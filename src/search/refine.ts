import { dot } from '../models/vectors.js';

/** One sampled frame of a video: its time and its vector. */
export interface TimedFrame {
  time: number;
  vector: Float32Array;
}

/** How far between the candidates' lowest similarity (0) and the span's peak (1) a frame must score to stay in. */
export const REFINE_LEVEL = 0.5;

/** Below this spread of cosine similarity the frames carry no evidence of a boundary: the span is kept. */
export const REFINE_MIN_CONTRAST = 0.01;

/**
 * Tightens (or stretches) a retrieved span to where the query matches frame by frame: the frames
 * around the span (`frames`, in time order, typically the span's windows and one window each side)
 * are scored against the query; the frame of highest similarity inside the span is the peak; the
 * span becomes the contiguous run of frames around the peak that score at least
 * `lowest + level·(peak − lowest)`, each frame covering half the sampling step either side.
 * Returns the span unchanged when no frame lies inside it, or when the frames hardly differ.
 */
export function refineSpan(query: Float32Array, frames: TimedFrame[], span: { start: number; end: number }, options: { duration?: number; level?: number } = {}): { start: number; end: number } {
  if (frames.length === 0) return span;
  const sims = frames.map((f) => dot(query, f.vector));
  let peak = -1;
  for (let i = 0; i < frames.length; i++) {
    if (frames[i].time < span.start || frames[i].time > span.end) continue;
    if (peak === -1 || sims[i] > sims[peak]) peak = i;
  }
  if (peak === -1) return span;
  const lowest = Math.min(...sims);
  if (sims[peak] - lowest < REFINE_MIN_CONTRAST) return span;
  const threshold = lowest + (options.level ?? REFINE_LEVEL) * (sims[peak] - lowest);
  let first = peak;
  let last = peak;
  while (first > 0 && sims[first - 1] >= threshold) first--;
  while (last < frames.length - 1 && sims[last + 1] >= threshold) last++;
  const step = frames.length > 1 ? Math.min(...frames.slice(1).map((f, i) => f.time - frames[i].time).filter((d) => d > 1e-9)) : span.end - span.start;
  const half = Number.isFinite(step) ? step / 2 : 0;
  const start = Math.max(0, frames[first].time - half);
  const end = Math.min(options.duration ?? Infinity, frames[last].time + half);
  return end > start ? { start, end } : span;
}
