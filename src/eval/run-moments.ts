import { createHash } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import type { OnProgress } from '../core/events.js';
import { embedTexts } from '../features/captions.js';
import { openIndex } from '../indexing/open.js';
import { MemoryIndex } from '../search/memory-index.js';
import { SearchService, type SearchResult } from '../search/search.js';
import { framesNeeded, momentSpans, SPAN_STRATEGIES, type MomentSpan, type SpanStrategy } from '../search/spans.js';
import { loadMoments, type MomentQuery } from './datasets/moments.js';
import { momentMetrics, predictionIoU, type MomentPrediction, type MomentScope, type MomentTruth } from './metrics/moments.js';
import { encoderRef, reportHeader } from './report/header.js';
import type { MomentDetail, MomentsMetrics, MomentsReport } from './report/types.js';

export interface EvalMomentsOptions {
  db: string;
  dataset: string;
  scope: MomentScope;
  model?: string;
  onProgress?: OnProgress;
}

/** Hits each query takes from search; merging and refining work on these. */
export const MOMENT_HITS = 10;

const DEFINITIONS: Record<string, string> = {
  'R@K, tIoU≥m': 'percentage of queries with at least one of the top K spans at temporal IoU ≥ m with a ground-truth window (Charades-STA / QVHighlights; REFERENCES §8) ↑',
  mIoU: 'mean over queries of the top-1 span’s best tIoU with the ground-truth windows ↑',
  mAP: 'QVHighlights mAP: per query and tIoU threshold 0.5:0.05:0.95, ActivityNet interpolated AP of its top 10 spans (each ground-truth window matched once); averaged over thresholds, then queries ↑',
  scope: 'corpus: every query searches the whole index and a span counts only in the query’s video (TVR); video: each query searches only its own video',
  windows: 'the top 10 hits’ fixed windows',
  merged: 'a video’s touching or overlapping hits among the top 10 merged into one span',
  refined: 'each merged span fitted to the frames around it that match the query (stored per-frame vectors; search/refine.ts)',
};

/** The index's video id of each query's video (by real path), for those that are indexed. */
async function videoIds(queries: MomentQuery[], videos: Array<{ id: string; path: string }>): Promise<Map<string, string>> {
  const real = async (p: string) => realpath(p).catch(() => p);
  const byPath = new Map<string, string>();
  for (const v of videos) byPath.set(await real(v.path), v.id);
  const out = new Map<string, string>();
  for (const q of new Set(queries.map((x) => x.video))) {
    const id = byPath.get(await real(q));
    if (id) out.set(q, id);
  }
  return out;
}

const asPrediction = (s: MomentSpan): MomentPrediction => ({ video: s.video.id, start: s.start, end: s.end, score: s.score });

/**
 * `vidlens eval moments`: each query of a moments file (`vidlens synth --layout long` writes one)
 * runs through search — over the whole index (corpus scope) or only its own video (video scope) —
 * and its spans, as fixed windows, merged and refined, are scored with the moment metrics.
 */
export async function runEvalMoments(o: EvalMomentsOptions): Promise<MomentsReport> {
  const queries = await loadMoments(o.dataset, { resolveVideos: true, requireQuery: true });
  const { catalog, encoder } = await openIndex(o.db, { model: o.model, create: false });
  try {
    const videos = await catalog.videos.all();
    const ids = await videoIds(queries, videos);
    const durations = new Map(videos.map((v) => [v.id, v.duration]));
    const unindexed = queries.filter((q) => !ids.has(q.video));
    const warnings = unindexed.length ? [`${unindexed.length} of ${queries.length} queries name a video that is not in the index (e.g. ${unindexed[0].video}); they score 0`] : [];
    const search = new SearchService(encoder, catalog, undefined, undefined, new MemoryIndex(catalog, encoder.manifest.dim));
    const vectors = await embedTexts(encoder, queries.map((q) => q.query));
    const dim = encoder.manifest.dim;
    const vectorOf = (i: number) => vectors.subarray(i * dim, (i + 1) * dim);
    const hits: SearchResult[][] = [];
    for (const [i, query] of queries.entries()) {
      const videoId = ids.get(query.video);
      const inScope = o.scope === 'corpus' || videoId !== undefined;
      hits.push(inScope ? await search.searchByVector(vectorOf(i), { k: MOMENT_HITS, filter: o.scope === 'video' ? { videoId } : {} }) : []);
      o.onProgress?.({ task: 'searching moments', done: i + 1, total: queries.length, unit: 'queries', item: query.query });
    }
    // One read of the stored frames every query's refinement needs.
    const frames = await catalog.segments.frameData([...new Set(hits.flatMap(framesNeeded))]);
    const items: Array<{ query: MomentQuery; truth: MomentTruth; spans: Record<SpanStrategy, MomentSpan[]> }> = queries.map((query, i) => ({
      query,
      truth: { video: ids.get(query.video) ?? `not indexed: ${query.video}`, windows: query.windows },
      spans: momentSpans(vectorOf(i), hits[i], durations, frames),
    }));

    const metricsOf = (subset: typeof items): MomentsMetrics =>
      Object.fromEntries(SPAN_STRATEGIES.map((s) => [s, momentMetrics(subset.map((it) => ({ truth: it.truth, predictions: it.spans[s].map(asPrediction) })), o.scope)])) as MomentsMetrics;
    const domains: MomentsReport['domains'] = {};
    for (const domain of [...new Set(queries.map((q) => q.domain))].sort()) {
      const subset = items.filter((it) => it.query.domain === domain);
      domains[domain] = { n: subset.length, metrics: metricsOf(subset) };
    }
    const details: MomentDetail[] = items.map(({ query, truth, spans }) => ({
      id: query.id, query: query.query, video: query.video, domain: query.domain,
      windows: query.windows.map(([s, e]) => [s, e]),
      top: spans.refined.slice(0, 5).map((s) => ({ video: s.video.path, start: s.start, end: s.end, score: s.score })),
      iou: Object.fromEntries(SPAN_STRATEGIES.map((s) => [s, spans[s][0] ? predictionIoU(asPrediction(spans[s][0]), truth, o.scope) : 0])) as Record<SpanStrategy, number>,
    }));
    return {
      ...reportHeader({
        model: encoderRef(encoder),
        dataset: { path: o.dataset, sha256: createHash('sha256').update(await readFile(o.dataset)).digest('hex'), n: queries.length, format: 'moments' },
        config: { scope: o.scope, hits: MOMENT_HITS, db: o.db },
        definitions: DEFINITIONS,
        warnings,
      }),
      kind: 'moments',
      metrics: metricsOf(items),
      domains,
      details,
    };
  } finally {
    await encoder.dispose();
  }
}
