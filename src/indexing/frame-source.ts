import { describeError } from '../core/errors.js';
import { decodeFrames } from '../media/decode.js';
import type { FrameSpec } from '../media/frames.js';
import type { SamplePlan } from '../media/plan.js';
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
export async function* frameSource(jobs: VideoJob[], spec: FrameSpec, options: { threads?: number } = {}): AsyncGenerator<SourceItem> {
  for (const job of jobs) {
    // The sampling step of the plan's longest segment: a partial last window then takes the
    // nearest grid frames instead of refining the grid for the whole video.
    const minStep = Math.max(...job.plan.segments.map((s) => (s.end - s.start) / s.frameRefs.length));
    try {
      for await (const frame of decodeFrames(job.info, job.plan.times, spec, { minStep, threads: options.threads })) {
        yield { kind: 'frame', job, timeIndex: frame.timeIndex, rgb: frame.rgb };
      }
    } catch (error) {
      yield { kind: 'failed', job, error: describeError(error) };
    }
  }
}
