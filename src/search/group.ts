import type { SearchResult } from './search.js';

/** A run of a video's hits whose time spans touch or overlap, shown as one span. */
export interface MergedHit {
  /** The best rank among the merged hits. */
  rank: number;
  /** The best score among them. */
  score: number;
  start: number;
  end: number;
  /** The best-scoring segment of the run: what a player seeks to and "more like this" takes. */
  segment: string;
  /** Every segment id in the run, in time order. */
  segments: string[];
}

export interface VideoGroup {
  video: SearchResult['video'];
  results: MergedHit[];
  /** Present (true) when the video's file is no longer at its path. */
  missing?: true;
}

/**
 * Groups ranked hits per video, in the order of each video's best hit, and merges a video's hits
 * whose spans touch or overlap (adjacent windows of one moment) into one span. Within a group the
 * merged spans keep rank order.
 */
export function groupByVideo(results: SearchResult[]): VideoGroup[] {
  const byVideo = new Map<string, SearchResult[]>();
  for (const r of [...results].sort((a, b) => a.rank - b.rank)) {
    const list = byVideo.get(r.video.id);
    if (list) list.push(r);
    else byVideo.set(r.video.id, [r]);
  }
  return [...byVideo.values()].map((hits) => ({ video: hits[0].video, results: mergeSpans(hits), ...(hits[0].missing ? { missing: true as const } : {}) }));
}

function mergeSpans(hits: SearchResult[]): MergedHit[] {
  const inTime = [...hits].sort((a, b) => a.start - b.start || a.end - b.end);
  const runs: SearchResult[][] = [];
  for (const hit of inTime) {
    const run = runs.at(-1);
    // A microsecond of slack: window edges are computed in floating point.
    if (run && hit.start <= Math.max(...run.map((h) => h.end)) + 1e-6) run.push(hit);
    else runs.push([hit]);
  }
  return runs
    .map((run) => {
      const best = run.reduce((a, b) => (b.rank < a.rank ? b : a));
      return {
        rank: best.rank,
        score: best.score,
        start: Math.min(...run.map((h) => h.start)),
        end: Math.max(...run.map((h) => h.end)),
        segment: best.segment,
        segments: run.map((h) => h.segment),
      };
    })
    .sort((a, b) => a.rank - b.rank);
}
