import { describeError, inputError } from '../core/errors.js';
import type { OnProgress } from '../core/events.js';
import { planSegments, type SamplingOptions } from '../media/plan.js';
import { probeVideo, type VideoInfo } from '../media/probe.js';
import { scanPaths } from '../media/scan.js';
import type { ModelManifest } from '../models/encoder.js';
import type { loadEncoder } from '../models/load.js';
import type { VideoRow } from '../store/schema.js';
import { SegmentWriter } from '../store/writer.js';
import { IndexRun } from './commit.js';
import { embedJobs, type Tta } from './embed-loop.js';
import type { VideoJob } from './frame-source.js';
import type { Candidate } from './reconcile.js';
import { openIndex } from './open.js';
import { goneVideos } from './prune.js';
import { loadRankers } from '../heads/rankers.js';
import { syncAdapted } from './adapted.js';
import { maintainAnn, type AnnAction } from './ann.js';

export interface IndexOptions {
  paths: string[];
  db: string;
  /** Folder or hub id; defaults to the index's model, else `config.model()` (`VIDLENS_MODEL`). */
  model?: string;
  /** Defaults to the index's sampling, else `DEFAULT_SAMPLING` (4 s windows, 8 frames). */
  sampling?: Partial<SamplingOptions>;
  domain?: string;
  /** Frames per encoder call, across segments and videos. */
  batchSize?: number;
  /** Threads for ONNX Runtime and for each ffmpeg decoding (default: theirs, one per core). */
  threads?: number;
  /** Test-time augmentation; defaults to the index's (a new index: none). */
  tta?: Tta;
  /** Segments per store commit (default 512); smaller loses less work to an interruption. */
  commitEvery?: number;
  onProgress?: OnProgress;
  /** Loads the model (default: `loadEncoder`, once per run); `vidlens worker` keeps one loaded across its jobs. */
  loader?: typeof loadEncoder;
  /** Warn of indexed videos whose file is gone (default true): a look at every indexed file, which a queued job, whose warnings nobody reads, skips. */
  warnGone?: boolean;
  /** Retrieval adapter folders whose copies of the segment vectors are brought up to date after the run (`indexing/adapted.ts`). */
  adapters?: string[];
  /**
   * Cancels the run: decoding stops, videos already complete stay committed, the rest are left
   * for the next run (which resumes them).
   */
  signal?: AbortSignal;
}

export interface IndexSummary {
  indexed: number;
  skipped: number;
  /** Skipped (unchanged) videos given the run's --domain, vectors kept. */
  relabeled: number;
  /** Non-video files inside the scanned folders. */
  ignored: number;
  failed: Array<{ path: string; error: string }>;
  /** E.g. that the folders given hold no video files. */
  warnings: string[];
  segments: number;
  frames: number;
  seconds: number;
  model: ModelManifest;
  /**
   * Seconds: `pipeline` from the first decoded frame request to the last commit (model loading and
   * probing excluded); inside it, time the embedding loop spent waiting on decoding, in the encoder,
   * and waiting on the store.
   */
  timings: { pipeline: number; decodeWait: number; encode: number; storeWait: number };
  /** True when `signal` stopped the run before every video was done. */
  cancelled: boolean;
  /** What the run did to the ANN index (`indexing/ann.ts`): built it, updated it, or nothing. */
  ann: AnnAction;
  /** Per `adapters` folder: segments adapted into its copy, the rows it holds, and what happened to its ANN index. */
  adapted: Array<{ adapter: string; segments: number; rows: number; ann: AnnAction }>;
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/**
 * Indexes videos into the LanceDB catalog at `db`: scan → reconcile with what is stored → probe →
 * plan segments → decode frames (ffmpeg, streamed) → embed in batches across videos → pool →
 * commit in chunks. Decoding and storage overlap with inference. Idempotent and resumable; a bad
 * file is reported and skipped, never fatal to the batch.
 */
export async function runIndex(options: IndexOptions): Promise<IndexSummary> {
  const started = process.hrtime.bigint();
  const scan = await scanPaths(options.paths);
  // Nothing that exists to index: say so before an index folder is made or a model loaded.
  if (scan.files.length === 0 && scan.missing.length === options.paths.length) {
    throw inputError(scan.missing.map((m) => m.error).join('; '));
  }
  const warnings = scan.files.length === 0 ? [`no video files found in ${options.paths.join(', ')}${scan.ignored ? ` (${scan.ignored} other file(s) ignored)` : ''}`] : [];
  const { catalog, encoder } = await openIndex(options.db, {
    model: options.model,
    sampling: options.sampling,
    tta: options.tta,
    threads: options.threads,
    create: true,
    loader: options.loader,
  });
  const run = await IndexRun.begin(catalog, { onProgress: options.onProgress }).catch(async (error: unknown) => {
    await encoder.dispose();
    throw error;
  });
  const { window, stride } = catalog.manifest!.sampling;
  if (stride > window) warnings.push(`--stride ${stride} is longer than --window ${window}: ${(stride - window).toFixed(3)} s between windows are never sampled`);
  try {
    const model = encoder.manifest;
    // Before any work: a wrong adapter folder is refused, not found out after an hour of indexing.
    const adapters = await Promise.all((options.adapters ?? []).map(async (dir) => ({ dir, heads: (await loadRankers({ adapter: dir }, model)).adapter! })));
    const plan = await run.plan(scan.files, { domain: options.domain });
    const failed = [...scan.missing, ...plan.failed];
    const gone = options.warnGone === false ? [] : await goneVideos(catalog);
    if (gone.length) warnings.push(`${gone.length} indexed video(s) are no longer on disk (${gone.slice(0, 3).map((v) => v.path).join(', ')}${gone.length > 3 ? ', …' : ''}); searches still find them, marked missing: remove them with 'vidlens prune --db ${options.db}' (index a moved file at its new place first, to keep its vectors)`);

    const jobs: VideoJob[] = [];
    for (const [i, candidate] of plan.toIndex.entries()) {
      if (options.signal?.aborted) break;
      options.onProgress?.({ task: 'probing', done: i, total: plan.toIndex.length, unit: 'files', item: candidate.path });
      try {
        const info = await probeVideo(candidate.path);
        jobs.push({ candidate, info, plan: planSegments(info.duration, catalog.manifest!.sampling) });
      } catch (error) {
        failed.push({ path: candidate.path, error: describeError(error) });
      }
    }

    const domain = options.domain ?? '';
    const totalFrames = jobs.reduce((sum, j) => sum + j.plan.times.length, 0);
    const writer = new SegmentWriter(catalog, options.commitEvery);
    let indexed = 0;
    let segments = 0;
    const pipelineStart = process.hrtime.bigint();
    const loop = await embedJobs(jobs, encoder, { batchSize: options.batchSize ?? 32, domain: () => domain, tta: catalog.manifest!.tta, signal: options.signal, decodeThreads: options.threads }, {
      onSegments: async (_job, rows) => {
        for (const row of rows) await writer.add(row);
        segments += rows.length;
      },
      onComplete: (job) => {
        writer.complete(videoRow(job.candidate, job.info, domain, job.plan.segments.length));
        indexed++;
      },
      onFailed: (job, error) => {
        writer.discard(job.candidate.id);
        failed.push({ path: job.info.path, error });
      },
      onProgress: (done, file) => options.onProgress?.({ task: 'indexing', done, total: totalFrames, unit: 'frames', item: file }),
    });
    const t2 = process.hrtime.bigint();
    await writer.flush();
    const timings = {
      pipeline: seconds(pipelineStart),
      decodeWait: loop.decodeWait,
      encode: loop.encode,
      storeWait: loop.handlerWait + seconds(t2),
    };
    // After the timings: building an ANN index is not part of the indexing pipeline's throughput.
    const ann = options.signal?.aborted ? null : await maintainAnn(catalog, { onProgress: options.onProgress });
    const adapted: IndexSummary['adapted'] = [];
    for (const { dir, heads } of options.signal?.aborted ? [] : adapters) {
      const sync = await syncAdapted(catalog, heads, { onProgress: options.onProgress });
      adapted.push({ adapter: dir, segments: sync.adapted, rows: sync.rows, ann: sync.ann });
    }

    return {
      indexed,
      skipped: plan.unchanged,
      relabeled: plan.relabeled,
      ignored: scan.ignored,
      failed,
      warnings,
      segments,
      frames: totalFrames,
      seconds: seconds(started),
      model,
      timings,
      cancelled: options.signal?.aborted ?? false,
      ann,
      adapted,
    };
  } finally {
    await run.end();
    await encoder.dispose();
  }
}

/** The `videos` row of a fully indexed video. */
export function videoRow(candidate: Candidate, info: VideoInfo, domain: string, segments: number): VideoRow {
  return {
    id: candidate.id,
    path: candidate.path,
    size: candidate.size,
    mtime: candidate.mtimeMs,
    duration: info.duration,
    fps: info.fps,
    width: info.width,
    height: info.height,
    rotation: info.rotation,
    codec: info.codec,
    domain,
    segments,
    indexed_at: new Date().toISOString(),
  };
}
