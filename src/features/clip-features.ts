import { describeError, inputError, listedInputError } from '../core/errors.js';
import type { OnProgress } from '../core/events.js';
import { embedJobs } from '../indexing/embed-loop.js';
import type { VideoJob } from '../indexing/frame-source.js';
import type { SamplePlan } from '../media/plan.js';
import { probeVideo, type VideoInfo } from '../media/probe.js';
import { contentId } from '../media/video-id.js';
import type { Encoder } from '../models/encoder.js';
import type { Catalog } from '../store/catalog.js';
import { ClipCache } from '../store/clip-cache.js';
import type { SegmentRow } from '../store/schema.js';

/** What clip features need of a labelled clip: its video, its span and where it was defined. */
export interface ClipSpan {
  video: string;
  /** Seconds; undefined = from the start. */
  start?: number;
  /** Seconds; undefined = to the end. */
  end?: number;
  /** 1-based line in the dataset file, for error messages. */
  line: number;
}

/** A clip may end this far past its video's probed duration (container rounding) before it is refused. */
const END_TOLERANCE = 0.25;

export interface ClipFeatures {
  /** Pooled clip vectors, `clips × dim`, L2-normalised. */
  vectors: Float32Array;
  /** Per-frame vectors, `clips × frames × dim` (what readouts and temporal heads train on). */
  frameVectors: Float32Array;
  frames: number;
  dim: number;
  /** Resolved spans, seconds. */
  spans: Array<{ start: number; end: number }>;
  /** Clips embedded now (the rest came from the index's clip table). */
  embedded: number;
}

function spanOf(clip: ClipSpan, info: VideoInfo, where: string): { start: number; end: number } {
  const start = clip.start ?? 0;
  let end = clip.end ?? info.duration;
  if (start >= info.duration || end > info.duration + END_TOLERANCE) {
    throw inputError(`${where}: clip span [${start}, ${end}] s lies outside its video ${info.path} (duration ${info.duration.toFixed(3)} s)`);
  }
  end = Math.min(end, info.duration);
  return { start, end };
}

/** A clip's video as probed: what decoding and the clip cache need. */
export interface ProbedVideo {
  info: VideoInfo;
  id: string;
  size: number;
  mtimeMs: number;
}

/**
 * Probes every clip's video once and checks its span: the probed videos, each clip's resolved span and
 * clip-cache key. Clips whose video cannot be read or whose span lies outside it are all listed in one
 * input error, each with its dataset line.
 */
export async function resolveClips(clips: ClipSpan[], datasetPath: string): Promise<{ infos: Map<string, ProbedVideo>; spans: Array<{ start: number; end: number }>; keys: string[] }> {
  const infos = new Map<string, ProbedVideo>();
  const spans: Array<{ start: number; end: number }> = [];
  const keys: string[] = [];
  const unusable: string[] = [];
  const unreadable = new Map<string, string>();
  for (const clip of clips) {
    const where = `${datasetPath}:${clip.line}`;
    let entry = infos.get(clip.video);
    if (!entry && !unreadable.has(clip.video)) {
      try {
        const [info, id] = await Promise.all([probeVideo(clip.video), contentId(clip.video)]);
        entry = { info, ...id };
        infos.set(clip.video, entry);
      } catch (error) {
        unreadable.set(clip.video, describeError(error));
      }
    }
    if (!entry) {
      unusable.push(`${where}: ${unreadable.get(clip.video)}`);
      continue;
    }
    try {
      const span = spanOf(clip, entry.info, where);
      spans.push(span);
      keys.push(ClipCache.key(entry.id, span.start, span.end));
    } catch (error) {
      unusable.push(describeError(error));
    }
  }
  // Every clip that cannot be embedded is listed at once, so one pass over the dataset fixes them all.
  if (unusable.length === 1) throw inputError(unusable[0]);
  if (unusable.length > 1) throw listedInputError(`${datasetPath}: ${unusable.length} of ${clips.length} clips cannot be embedded:`, unusable);
  return { infos, spans, keys };
}

/** Uniform samples at the centres of `frames` equal sub-intervals of the span (as index segments). */
export function clipPlan(start: number, end: number, frames: number): SamplePlan {
  const step = (end - start) / frames;
  const times = Array.from({ length: frames }, (_, i) => start + (i + 0.5) * step);
  return { segments: [{ index: 0, start, end, frameRefs: times.map((_, i) => i) }], times };
}

/**
 * Embeds labelled clips at their exact spans with the index's model and sampling, reusing clips
 * already stored in the index's `clips` table (keyed by content id and span) and storing new ones.
 * Clips whose video cannot be read or whose span lies outside it are all listed in one input error,
 * each with its dataset line.
 */
export async function clipFeatures(
  clips: ClipSpan[],
  datasetPath: string,
  encoder: Encoder,
  catalog: Catalog,
  options: { batchSize?: number; onProgress?: OnProgress } = {},
): Promise<ClipFeatures> {
  const manifest = catalog.manifest!;
  const frames = manifest.sampling.frames;
  const dim = encoder.manifest.dim;
  const { infos, spans, keys } = await resolveClips(clips, datasetPath);

  const stored = await catalog.clips.get([...new Set(keys)]);
  const jobs: VideoJob[] = [];
  const jobKey = new Map<VideoJob, string>();
  const planned = new Set<string>();
  clips.forEach((clip, i) => {
    if (stored.has(keys[i]) || planned.has(keys[i])) return;
    planned.add(keys[i]);
    const entry = infos.get(clip.video)!;
    const job: VideoJob = { candidate: { path: clip.video, id: entry.id, size: entry.size, mtimeMs: entry.mtimeMs }, info: entry.info, plan: clipPlan(spans[i].start, spans[i].end, frames) };
    jobs.push(job);
    jobKey.set(job, keys[i]);
  });

  const fresh: SegmentRow[] = [];
  const failures: string[] = [];
  const total = jobs.length * frames;
  await embedJobs(jobs, encoder, {
    tta: manifest.tta, batchSize: options.batchSize ?? 32, domain: () => '' }, {
    onSegments: async (job, rows) => {
      for (const row of rows) fresh.push({ ...row, id: jobKey.get(job)! });
    },
    onComplete: () => undefined,
    onFailed: (job, error) => failures.push(`${job.info.path}: ${error}`),
    onProgress: (done) => options.onProgress?.({ task: 'embedding clips', done, total, unit: 'frames' }),
  });
  if (failures.length) throw inputError(`${datasetPath}: ${failures.length} clip(s) could not be decoded; first: ${failures[0]}`);
  await catalog.clips.put(fresh);
  for (const row of fresh) stored.set(row.id, { vector: row.vector, frameVectors: row.frame_vectors });

  const vectors = new Float32Array(clips.length * dim);
  const frameVectors = new Float32Array(clips.length * frames * dim);
  keys.forEach((key, i) => {
    vectors.set(stored.get(key)!.vector, i * dim);
    frameVectors.set(stored.get(key)!.frameVectors, i * frames * dim);
  });
  return { vectors, frameVectors, frames, dim, spans, embedded: fresh.length };
}
