import { parentPort } from 'node:worker_threads';
import { describeError } from '../core/errors.js';
import type { FrameSpec } from '../media/frames.js';
import { frameSource, type VideoJob } from './frame-source.js';

/** What the indexing thread asks of the decode thread; `stream` tells apart runs that share it. */
export type DecodeRequest =
  | { type: 'start'; stream: number; jobs: VideoJob[]; spec: FrameSpec; threads?: number; credit: number }
  /** The consumer took `frames` more frames: that many may be decoded ahead again. */
  | { type: 'credit'; stream: number; frames: number }
  | { type: 'stop'; stream: number };

export type DecodeReply =
  | { stream: number; kind: 'frame'; job: number; timeIndex: number; rgb: Uint8Array }
  | { stream: number; kind: 'failed'; job: number; error: string }
  | { stream: number; kind: 'error'; error: string }
  | { stream: number; kind: 'end' };

interface Stream {
  credit: number;
  stopped: boolean;
  wake?: () => void;
}

const port = parentPort!;
const streams = new Map<number, Stream>();

/**
 * Decodes one run's jobs in turn, never more than `credit` frames ahead of the consumer: waiting for
 * credit leaves ffmpeg's pipe unread, which pauses ffmpeg.
 */
async function decode(request: Extract<DecodeRequest, { type: 'start' }>): Promise<void> {
  const stream: Stream = { credit: request.credit, stopped: false };
  streams.set(request.stream, stream);
  const index = new Map(request.jobs.map((job, i) => [job, i]));
  const reply = (message: DecodeReply) => port.postMessage(message);
  try {
    for await (const item of frameSource(request.jobs, request.spec, { threads: request.threads })) {
      while (stream.credit <= 0 && !stream.stopped) await new Promise<void>((resolve) => (stream.wake = resolve));
      if (stream.stopped) break;
      const job = index.get(item.job)!;
      if (item.kind === 'failed') {
        reply({ stream: request.stream, kind: 'failed', job, error: item.error });
      } else {
        stream.credit--;
        reply({ stream: request.stream, kind: 'frame', job, timeIndex: item.timeIndex, rgb: item.rgb });
      }
    }
    reply({ stream: request.stream, kind: 'end' });
  } catch (error) {
    reply({ stream: request.stream, kind: 'error', error: describeError(error) });
  } finally {
    streams.delete(request.stream);
  }
}

port.on('message', (request: DecodeRequest) => {
  if (request.type === 'start') {
    void decode(request);
    return;
  }
  const stream = streams.get(request.stream);
  if (!stream) return;
  if (request.type === 'credit') stream.credit += request.frames;
  else stream.stopped = true;
  stream.wake?.();
  stream.wake = undefined;
});
