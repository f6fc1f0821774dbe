import { flipHorizontal } from '../media/frames.js';
import type { Encoder } from '../models/encoder.js';
import { l2NormalizeRows } from '../models/vectors.js';
import type { SegmentRow } from '../store/schema.js';
import { SegmentAssembler } from './assembler.js';
import type { SourceItem, VideoJob } from './frame-source.js';
import { threadedFrameSource } from './threaded-source.js';

export interface EmbedLoopHandlers {
  /** Segments whose frames are all embedded, in order; awaited (backpressure for the store). */
  onSegments(job: VideoJob, rows: SegmentRow[]): Promise<void>;
  /** All segments of the job have been handed over. */
  onComplete(job: VideoJob): void;
  /** Decoding failed part-way: the job's pending frames were dropped. */
  onFailed(job: VideoJob, error: string): void;
  onProgress?(framesDone: number, file: string | undefined): void;
}

export interface EmbedLoopTimings {
  decodeWait: number;
  encode: number;
  handlerWait: number;
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export type Tta = 'none' | 'flip';

/**
 * Frame embeddings, with test-time augmentation (REFERENCES §6) when asked: each frame and its
 * horizontal flip are embedded and their features summed before normalising.
 */
export async function embedBatch(encoder: Encoder, frames: Uint8Array[], tta: Tta): Promise<Float32Array> {
  if (tta === 'none') return encoder.embedFrames(encoder.prepareFrames(frames));
  const { dim, frame } = encoder.manifest;
  const both = await encoder.embedFrames(encoder.prepareFrames([...frames, ...frames.map((f) => flipHorizontal(f, frame.size))]));
  const out = new Float32Array(frames.length * dim);
  const offset = frames.length * dim;
  for (let k = 0; k < out.length; k++) out[k] = both[k] + both[offset + k];
  return l2NormalizeRows(out, dim);
}

/**
 * Decodes every job's sample times (one stream across videos, read ahead while the encoder runs),
 * embeds frames in batches across segments and videos, and hands over each segment as soon as its
 * frames are embedded (mean-pooled, with its per-frame vectors). A failing video is reported and
 * skipped; the others go on.
 */
export async function embedJobs(
  jobs: VideoJob[],
  encoder: Encoder,
  options: { batchSize: number; domain: (job: VideoJob) => string; tta?: Tta; signal?: AbortSignal; /** ffmpeg's threads per video (default: ffmpeg's). */ decodeThreads?: number },
  handlers: EmbedLoopHandlers,
): Promise<EmbedLoopTimings> {
  const { dim, id, frame } = encoder.manifest;
  const assemblers = new Map<VideoJob, SegmentAssembler>();
  const timings: EmbedLoopTimings = { decodeWait: 0, encode: 0, handlerWait: 0 };
  let framesDone = 0;
  type FrameItem = Extract<SourceItem, { kind: 'frame' }>;

  const embed = async (batch: FrameItem[]) => {
    if (batch.length === 0) return;
    const t0 = process.hrtime.bigint();
    const vectors = await embedBatch(encoder, batch.map((b) => b.rgb), options.tta ?? 'none');
    timings.encode += seconds(t0);
    const t1 = process.hrtime.bigint();
    for (const [i, item] of batch.entries()) {
      let assembler = assemblers.get(item.job);
      if (!assembler) {
        assembler = new SegmentAssembler(item.job.candidate.id, item.job.plan, dim, options.domain(item.job), id);
        assemblers.set(item.job, assembler);
      }
      const rows = assembler.receive(item.timeIndex, vectors.slice(i * dim, (i + 1) * dim));
      if (rows.length) await handlers.onSegments(item.job, rows);
      if (assembler.complete) {
        assemblers.delete(item.job);
        handlers.onComplete(item.job);
      }
    }
    timings.handlerWait += seconds(t1);
    framesDone += batch.length;
    handlers.onProgress?.(framesDone, batch.at(-1)?.job.info.path);
  };

  // Decoded on another thread, two batches ahead: frames keep decoding while the encoder runs.
  const stream = threadedFrameSource(jobs, frame, { threads: options.decodeThreads, readAhead: options.batchSize * 2 });
  let batch: FrameItem[] = [];
  let waitStart = process.hrtime.bigint();
  for await (const item of stream) {
    timings.decodeWait += seconds(waitStart);
    // Cancelled: stop decoding (leaving the loop ends ffmpeg); videos not yet complete are not handed over.
    if (options.signal?.aborted) break;
    if (item.kind === 'failed') {
      batch = batch.filter((b) => b.job !== item.job);
      assemblers.delete(item.job);
      framesDone += item.job.plan.times.length;
      handlers.onFailed(item.job, item.error);
    } else {
      batch.push(item);
      if (batch.length >= options.batchSize) {
        await embed(batch);
        batch = [];
      }
    }
    waitStart = process.hrtime.bigint();
  }
  if (!options.signal?.aborted) await embed(batch);
  return timings;
}
