import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { usageError } from '../core/errors.js';
import { openIndex } from '../indexing/open.js';
import { adaptText, adaptVideo } from '../heads/adapter/adapter.js';
import { loadRankers } from '../heads/rankers.js';
import { captionSet, embedTexts } from '../features/captions.js';
import { clipFeatures } from '../features/clip-features.js';
import { labelRelevance, validRelevancy } from '../features/relevancy.js';
import { clipsWithVideos, loadClipsJsonl, skippedWarning, type ClipDataset } from './datasets/clips.js';
import { ek100Relevancy, loadEk100Mir } from './datasets/ek100.js';
import { loadMsrvtt } from './datasets/msrvtt.js';
import type { Matrix } from '../util/matrix.js';
import { transpose } from '../util/matrix.js';
import { mirMetrics } from './metrics/mir.js';
import { galleryChance, retrievalMetrics, type TiePolicy } from './metrics/retrieval.js';
import { trainingOverlapWarning } from './training-overlap.js';
import { sliceBy } from './metrics/slices.js';
import { mirJson } from './mir-report.js';
import { readNpy, writeNpy } from '../util/npy.js';
import { EVAL_RERANK_K, mixMir, mixRetrieval, rerankBothWays } from './rerank.js';
import { encoderRef, reportHeader } from './report/header.js';
import type { RetrievalReport } from './report/types.js';
import { similarityMatrix, subMatrix } from './similarity.js';
import type { OnProgress } from '../core/events.js';

export type RetrievalFormat = 'jsonl' | 'msrvtt' | 'ek100';

export interface EvalRetrievalOptions {
  db: string;
  dataset: string;
  format?: RetrievalFormat;
  /** Folder of the benchmark's videos (msrvtt: `<video_id>.mp4`; ek100: `<video_id>.MP4`). */
  videosRoot?: string;
  /** ek100: the sentence CSV. */
  sentences?: string;
  /** A relevancy matrix (clips × captions, `.npy`) to use instead of the label-overlap relevance. */
  relevancy?: string;
  model?: string;
  ties?: TiePolicy;
  limit?: number;
  saveSim?: string;
  /** A retrieval adapter folder (`vidlens train retrieval`) applied to both sides. */
  adapter?: string;
  /** A reranker folder (`vidlens train rerank`) re-scoring each query's top `rerankK` results, both directions. */
  reranker?: string;
  rerankK?: number;
  /** Evaluate only clips with this `split` (JSONL datasets). */
  split?: string;
  /** Leave out clips whose video does not exist, and list them in the report, instead of refusing the dataset. */
  skipMissing?: boolean;
  onProgress?: OnProgress;
}

export const RETRIEVAL_DEFINITIONS = {
  'retrieval.t2v / retrieval.v2t': 'Text–video retrieval (MSR-VTT convention): R@K = percent of queries whose ground truth ranks ≤ K (higher is better); MedR = numpy median rank, MnR = mean rank (lower is better). Several captions per clip: text→video ranks each caption, video→text takes the best caption rank per clip.',
  'mir.mAP': 'EPIC-KITCHENS-100 MIR mAP: graded running precision at relevancy-1 entries, mean over rows; fraction in [0, 1], higher is better; avg = mean of both directions.',
  'mir.nDCG': 'EPIC-KITCHENS-100 MIR nDCG truncated at the number of nonzero relevancies; fraction in [0, 1], higher is better.',
};

function inferFormat(path: string): RetrievalFormat {
  if (path.endsWith('.jsonl')) return 'jsonl';
  if (path.endsWith('.csv')) return path.includes('EPIC_100') ? 'ek100' : 'msrvtt';
  throw usageError(`--dataset ${path}: cannot tell its format from the name; pass --format jsonl|msrvtt|ek100`);
}

async function loadDataset(o: EvalRetrievalOptions, format: RetrievalFormat): Promise<{ data: ClipDataset; relevancy?: Matrix }> {
  if (format === 'jsonl') return { data: await loadClipsJsonl(o.dataset, { checkVideos: !o.skipMissing }) };
  if (!o.videosRoot) throw usageError(`--format ${format} needs --videos-root DIR (the benchmark's video files)`);
  if (format === 'msrvtt') return { data: await loadMsrvtt(o.dataset, o.videosRoot, { limit: o.limit }) };
  if (!o.sentences) throw usageError('--format ek100 needs --sentences EPIC_100_retrieval_test_sentence.csv');
  const ek = await loadEk100Mir(o.dataset, o.sentences);
  const clips = ek.clips.map((c, i) => ({
    video: join(o.videosRoot!, `${c.videoId}.MP4`),
    start: timestamp(c.start),
    end: timestamp(c.stop),
    captions: [] as string[],
    labels: [],
    domain: 'ek100',
    line: i + 2,
  }));
  // Each sentence column becomes a caption of the clip with its narration_id (the published protocol).
  ek.sentences.forEach((s) => clips[s.clip].captions.push(s.text));
  return {
    data: { path: o.dataset, sha256: createHash('sha256').update(JSON.stringify(ek.sentences.map((s) => s.narrationId))).digest('hex'), clips, warnings: [] },
    relevancy: ek100Relevancy(ek),
  };
}

/** The clips evaluated (indices into the dataset): those of `--split`, then the first `--limit`. */
function chooseClips(data: ClipDataset, o: EvalRetrievalOptions, format: RetrievalFormat): { chosen: number[]; skipped: string[] } {
  let chosen = data.clips.map((_, i) => i);
  if (o.split) {
    chosen = chosen.filter((i) => data.clips[i].split === o.split);
    if (chosen.length === 0) throw usageError(`--split ${o.split}: no clip of ${o.dataset} has "split": "${o.split}"`);
  }
  const { kept, skipped } = o.skipMissing ? clipsWithVideos(data, chosen) : { kept: chosen, skipped: [] };
  if (kept.length === 0) throw usageError(`--skip-missing: no clip of ${o.dataset} has its video (${skipped[0]})`);
  return { chosen: o.limit && format !== 'msrvtt' ? kept.slice(0, o.limit) : kept, skipped };
}

/**
 * The relevancy of the chosen clips and their captions: from a matrix over the whole dataset
 * (clips × captions), or one already over the chosen ones.
 */
function chosenRelevancy(rel: Matrix, data: ClipDataset, chosen: number[], what: string): Matrix {
  const all = captionSet(data.clips);
  const set = new Set(chosen);
  const captions = all.captionClip.flatMap((c, j) => (set.has(c) ? [j] : []));
  if (chosen.length < data.clips.length && rel.rows === data.clips.length && rel.cols === all.captions.length) {
    return subMatrix(validRelevancy(rel, data.clips.length, all.captions.length, what), chosen, captions);
  }
  return validRelevancy(rel, chosen.length, captions.length, what);
}

function timestamp(hms: string): number {
  const [h, m, s] = hms.split(':').map(Number);
  return h * 3600 + m * 60 + s;
}

/** Text→clip ranks (optimistic) of each caption and its top-5 clips, for the report's details. */
function queryDetails(sim: Matrix, captionClip: number[], captions: string[]) {
  return captions.map((text, i) => {
    const row = sim.data.subarray(i * sim.cols, (i + 1) * sim.cols);
    const gt = row[captionClip[i]];
    let higher = 0;
    for (const s of row) if (s > gt) higher++;
    const top = Array.from(row, (score, clip) => ({ clip, score }))
      .sort((a, b) => b.score - a.score || a.clip - b.clip)
      .slice(0, 5);
    return { caption: text, clip: captionClip[i], rank: higher + 1, score: gt, top };
  });
}

/**
 * `vidlens eval retrieval`: embeds the dataset's clips at their spans (reusing the index's clip
 * table) and its captions with the index's model, and reports R@K/MedR/MnR both ways and, with
 * soft relevance, EK100 mAP/nDCG — overall and per domain.
 */
export async function evalRetrieval(o: EvalRetrievalOptions): Promise<RetrievalReport> {
  const format = o.format ?? inferFormat(o.dataset);
  if (o.split && format !== 'jsonl') throw usageError(`--split applies to JSONL datasets (their "split" field); --format ${format} has none`);
  const { data, relevancy: datasetRelevancy } = await loadDataset(o, format);
  const { chosen, skipped } = chooseClips(data, o, format);
  const clips = chosen.map((i) => data.clips[i]);
  const { captions, captionClip } = captionSet(clips);
  if (captions.length === 0) throw usageError(`--dataset ${o.dataset}: no clip has a "captions" field with text; retrieval needs at least one caption${data.warnings.length ? ` (${data.warnings[0]})` : ''}`);

  const { catalog, encoder } = await openIndex(o.db, { model: o.model, create: true });
  try {
    const { adapter, reranker } = await loadRankers(o, encoder.manifest);
    const features = await clipFeatures(clips, data.path, encoder, catalog, { onProgress: o.onProgress });
    const dim = encoder.manifest.dim;
    let text = await embedTexts(encoder, captions);
    const frozenText = text;
    let clipVectors = features.vectors;
    if (adapter) {
      text = adaptText(adapter, text, dim);
      clipVectors = adaptVideo(adapter, clipVectors, features.frameVectors, features.frames, dim);
    }
    const sim = similarityMatrix(text, clipVectors, dim);
    if (o.saveSim) await writeNpy(o.saveSim, sim);
    const rerankK = o.rerankK ?? EVAL_RERANK_K;
    const ranked = reranker
      ? rerankBothWays(sim, reranker.reranker, frozenText, features.frameVectors, rerankK, o.onProgress)
      : { t2v: sim, v2t: sim };

    const relevancy = o.relevancy
      ? chosenRelevancy(await readNpy(o.relevancy), data, chosen, `--relevancy ${o.relevancy}`)
      : datasetRelevancy
        ? chosenRelevancy(datasetRelevancy, data, chosen, `--dataset ${o.dataset}`)
        : labelRelevance(clips, captionClip);
    const overlap = [
      adapter && trainingOverlapWarning('--adapter', o.adapter!, adapter.meta.dataset, clips, data.sha256),
      reranker && trainingOverlapWarning('--reranker', o.reranker!, reranker.meta.dataset, clips, data.sha256),
    ].filter((w): w is string => typeof w === 'string');
    const ties = o.ties ?? 'optimistic';
    const evaluate = (clipIdx: number[], capIdx: number[]) => {
      const local = new Map(clipIdx.map((c, i) => [c, i]));
      const rel = subMatrix(relevancy, clipIdx, capIdx);
      const score = (m: Matrix) => {
        const s = subMatrix(m, capIdx, clipIdx);
        return { r: retrievalMetrics(s, { captionVideo: capIdx.map((j) => local.get(captionClip[j])!), ties }), mir: mirMetrics(transpose(s), rel) };
      };
      const a = score(ranked.t2v);
      const b = ranked.v2t === ranked.t2v ? a : score(ranked.v2t);
      const r = mixRetrieval(a.r, b.r);
      return { retrieval: { t2v: r.t2v, v2t: r.v2t, ties }, mir: mirJson(b === a ? a.mir : mixMir(a.mir, b.mir)), gallery: galleryChance(clipIdx.length) };
    };
    const all = evaluate(clips.map((_, i) => i), captions.map((_, j) => j));
    const domains: RetrievalReport['domains'] = {};
    for (const [name, clipIdx] of sliceBy(clips, (c) => c.domain || '(none)')) {
      const set = new Set(clipIdx);
      const capIdx = captionClip.flatMap((c, j) => (set.has(c) ? [j] : []));
      if (capIdx.length) domains[name] = { n: capIdx.length, metrics: evaluate(clipIdx, capIdx) };
    }
    const details = queryDetails(ranked.t2v, captionClip, captions).map((d) => ({
      ...d,
      video: clips[d.clip].video,
      span: features.spans[d.clip],
      domain: clips[d.clip].domain,
      top: d.top.map((t) => ({ ...t, video: clips[t.clip].video, span: features.spans[t.clip] })),
    }));
    const ranks = details.map((d) => d.rank);
    const maxK = Math.min(50, clips.length);
    const recallAtK = Array.from({ length: maxK }, (_, k) => ({ k: k + 1, t2v: (100 * ranks.filter((r) => r <= k + 1).length) / ranks.length }));
    return {
      kind: 'retrieval',
      ...reportHeader({
        model: encoderRef(encoder),
        dataset: { path: data.path, sha256: data.sha256, n: captions.length, format },
        config: { db: o.db, ties, split: o.split ?? null, skipped, sampling: catalog.manifest!.sampling, clips: clips.length, captions: captions.length, clipsEmbedded: features.embedded, relevancy: o.relevancy ?? (datasetRelevancy ? 'EK100 formula' : 'label Jaccard (own clip = 1)') },
        definitions: RETRIEVAL_DEFINITIONS,
        warnings: [...data.warnings, ...skippedWarning(skipped), ...overlap, ...all.mir.warnings],
      }),
      metrics: all,
      domains,
      reranker: reranker ? { path: o.reranker, k: rerankK, trained: reranker.meta.created, dataset: reranker.meta.dataset, validation: reranker.meta.validation } : null,
      adapter: adapter ? { path: o.adapter, loss: adapter.meta.loss, temporal: adapter.meta.temporal ?? null, trained: adapter.meta.created, dataset: adapter.meta.dataset, validation: adapter.meta.validation } : null,
      details,
      curves: { recall_at_k: recallAtK },
    };
  } finally {
    await encoder.dispose();
  }
}
