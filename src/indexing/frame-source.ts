import { describeError } from '../errors.js';
import { decodeFrames } from '../media/decode.js';
import type { FrameSpec } from '../media/frames.js';
import type { SamplePlan, SamplingOptions } from '../media/plan.js';
import type { VideoInfo } from '../media/probe.js';
import type { Candidate } from './reconcile.js';

/** A video ready to decode: where it is, what it is, and which times to sample. */
export interface VideoJob {
  candidate: Candidate;
  info: VideoInfo;
  plan: SamplePlan;
}

export type SourceItem =
  | { kind: 'frame'; job: VideoJob; timeIndex: number; rgb: Uint8Array }
  | { kind: 'failed'; job: VideoJob; error: string };

/**
 * Decodes every job's sample times in turn, as one stream of frames. A video that fails part-way
 * yields a `failed` item and the stream goes on with the next video.
 */
export async function* frameSource(jobs: VideoJob[], spec: FrameSpec, sampling: SamplingOptions): AsyncGenerator<SourceItem> {
  for (const job of jobs) {
    const minStep = Math.min(sampling.window, job.info.duration) / sampling.frames;
    try {
      for await (const frame of decodeFrames(job.info, job.plan.times, spec, { minStep })) {
        yield { kind: 'frame', job, timeIndex: frame.timeIndex, rgb: frame.rgb };
      }
    } catch (error) {
      yield { kind: 'failed', job, error: describeError(error) };
    }
  }
}
