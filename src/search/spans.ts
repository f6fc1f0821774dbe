import { groupByVideo } from './group.js';
import { refineSpan, type TimedFrame } from './refine.js';
import type { SearchResult } from './search.js';

/** How search hits become the spans a moment query is answered with. */
export const SPAN_STRATEGIES = ['windows', 'merged', 'refined'] as const;
export type SpanStrategy = (typeof SPAN_STRATEGIES)[number];

/** One answer span: where in which video, how well it matched, and its rank. */
export interface MomentSpan {
  video: SearchResult['video'];
  start: number;
  end: number;
  score: number;
  rank: number;
}

/** Segment ids are `VIDEO:INDEX`: the neighbours of a run of windows are the indexes either side. */
function neighbourhood(segments: string[]): string[] {
  const [video] = segments[0].split(':');
  const idx = segments.map((s) => Number(s.split(':')[1]));
  return [...new Set([Math.min(...idx) - 1, ...idx, Math.max(...idx) + 1])].filter((i) => i >= 0).map((i) => `${video}:${i}`);
}

/** Merged runs of a video's touching hits, in rank order, with the segments each holds. */
function mergedRuns(hits: SearchResult[]) {
  return groupByVideo(hits)
    .flatMap((g) => g.results.map((m) => ({ video: g.video, start: m.start, end: m.end, score: m.score, rank: m.rank, segments: m.segments })))
    .sort((a, b) => a.rank - b.rank);
}

/** The segments whose stored frames refining these hits reads: each merged run's windows and one either side. */
export function framesNeeded(hits: SearchResult[]): string[] {
  return [...new Set(mergedRuns(hits).flatMap((r) => neighbourhood(r.segments)))];
}

export type FrameData = Map<string, { vectors: Float32Array; times: Float32Array }>;

/**
 * The spans of ranked hits in each strategy: `windows`, the hits' fixed windows; `merged`, a video's
 * touching or overlapping hits as one span (`groupByVideo`); `refined`, each merged span fitted to
 * where the query matches frame by frame (`refineSpan` over its windows and one window either side,
 * from the stored per-frame vectors, `frameData` holding at least `framesNeeded(hits)`).
 */
export function momentSpans(query: Float32Array, hits: SearchResult[], durations: Map<string, number>, frameData: FrameData): Record<SpanStrategy, MomentSpan[]> {
  const windows = hits.map((h) => ({ video: h.video, start: h.start, end: h.end, score: h.score, rank: h.rank }));
  const runs = mergedRuns(hits);
  const merged = runs.map(({ segments: _segments, ...span }) => span);
  const around = runs.map((r) => neighbourhood(r.segments));
  const dim = query.length;
  const refined = runs.map((run, i) => {
    const frames: TimedFrame[] = [];
    for (const id of around[i]) {
      const data = frameData.get(id);
      if (!data) continue;
      data.times.forEach((time, f) => frames.push({ time, vector: data.vectors.subarray(f * dim, (f + 1) * dim) }));
    }
    frames.sort((a, b) => a.time - b.time);
    const { start, end } = refineSpan(query, frames, run, { duration: durations.get(run.video.id) });
    return { video: run.video, start, end, score: run.score, rank: run.rank };
  });
  return { windows, merged, refined };
}
