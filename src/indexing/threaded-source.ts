import type { Worker } from 'node:worker_threads';
import type { FrameSpec } from '../media/frames.js';
import { startThread } from '../util/thread.js';
import type { DecodeReply, DecodeRequest } from './decode-thread.js';
import type { SourceItem, VideoJob } from './frame-source.js';

/** Frames handed back as credit at once (at most half the read-ahead): one message per few frames, not one per frame. */
const CREDIT_BATCH = 8;

let thread: Worker | undefined;
let nextStream = 0;
const listeners = new Map<number, (reply: DecodeReply) => void>();

/**
 * The process's one decode thread, started on first use and kept for later runs. It holds the
 * process open only while some run reads from it.
 */
function decodeThread(): Worker {
  if (thread) return thread;
  const started = startThread(new URL('./decode-thread.js', import.meta.url));
  started.on('message', (reply: DecodeReply) => listeners.get(reply.stream)?.(reply));
  const lost = (error: string) => {
    if (thread === started) thread = undefined;
    for (const [stream, listener] of listeners) listener({ stream, kind: 'error', error });
  };
  started.on('error', (error) => lost(`the decode thread failed: ${error.message}`));
  started.on('exit', (code) => lost(`the decode thread stopped (code ${code})`));
  started.unref();
  return (thread = started);
}

/**
 * `frameSource`, decoded on a thread of its own, at most `readAhead` frames ahead of the consumer.
 * ONNX Runtime's Node binding runs a model on the calling thread: were ffmpeg's pipe read on that
 * thread too, ffmpeg would stall, its pipe full, for as long as each batch takes to embed.
 */
export async function* threadedFrameSource(jobs: VideoJob[], spec: FrameSpec, options: { threads?: number; readAhead: number }): AsyncGenerator<SourceItem> {
  const worker = decodeThread();
  const stream = nextStream++;
  const inbox: DecodeReply[] = [];
  let wake: (() => void) | undefined;
  listeners.set(stream, (reply) => {
    inbox.push(reply);
    wake?.();
  });
  if (listeners.size === 1) worker.ref();
  const send = (request: DecodeRequest) => worker.postMessage(request);
  send({ type: 'start', stream, jobs, spec, threads: options.threads, credit: options.readAhead });
  const creditBatch = Math.max(1, Math.min(CREDIT_BATCH, Math.floor(options.readAhead / 2)));
  let ended = false;
  let owed = 0;
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const reply = inbox.shift()!;
      if (reply.kind === 'end' || reply.kind === 'error') {
        ended = true;
        if (reply.kind === 'error') throw new Error(reply.error);
        return;
      }
      if (reply.kind === 'failed') {
        yield { kind: 'failed', job: jobs[reply.job], error: reply.error };
        continue;
      }
      yield { kind: 'frame', job: jobs[reply.job], timeIndex: reply.timeIndex, rgb: reply.rgb };
      if (++owed >= creditBatch) {
        send({ type: 'credit', stream, frames: owed });
        owed = 0;
      }
    }
  } finally {
    listeners.delete(stream);
    if (!ended) send({ type: 'stop', stream });
    if (listeners.size === 0) worker.unref();
  }
}
