import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker } from 'bullmq';
import { WORKER_DB_ENV, WORKER_THREADS_ENV } from './queue-processor.js';
import { assertReachable, JOB_ATTEMPTS, QUEUE_NAME, queueConnection, type IndexJobData } from './queue.js';

/** A job's lock lasts this long without renewal; a worker that died is noticed within it plus one stalled check. */
export const LOCK_MS = 20_000;
export const STALLED_CHECK_MS = 10_000;
/** How often `--drain` asks Redis whether anything is left: a job moves between states atomically, so no count is ever caught between two. */
const DRAIN_POLL_MS = 100;

export interface WorkerEvent {
  kind: 'completed' | 'failed';
  path: string;
  attempt: number;
  /** Completed: what the run did. Failed: why (and whether BullMQ will try again). */
  result?: { indexed: number; skipped: number; segments: number; seconds: number };
  error?: string;
  willRetry?: boolean;
}

export interface WorkerOptions {
  queue: string;
  db: string;
  /** Jobs run at once (each in its own child process). */
  concurrency: number;
  /** Threads per job for ONNX Runtime and for ffmpeg's decoding each (default: theirs). */
  threads?: number;
  /** Stop once the queue has nothing waiting, delayed or running. */
  drain?: boolean;
  onEvent?: (event: WorkerEvent) => void;
  signal?: AbortSignal;
}

/**
 * `vidlens worker`: takes index jobs from the queue and runs each in a sandboxed child process against
 * `db`, until stopped (or, with `drain`, until the queue is empty). Several workers, on one machine
 * or several sharing the index folder, commit through the multi-writer protocol of `indexing/commit.ts`.
 */
export async function runWorker(o: WorkerOptions): Promise<{ completed: number; failed: number }> {
  await assertReachable(o.queue);
  const connection = queueConnection(o.queue);
  const processor = new URL('./queue-processor.js', import.meta.url);
  const worker = new Worker<IndexJobData>(QUEUE_NAME, processor, {
    connection,
    concurrency: o.concurrency,
    useWorkerThreads: false,
    workerForkOptions: { env: { ...process.env, [WORKER_DB_ENV]: resolve(o.db), ...(o.threads ? { [WORKER_THREADS_ENV]: String(o.threads) } : {}) } },
    lockDuration: LOCK_MS,
    stalledInterval: STALLED_CHECK_MS,
    maxStalledCount: JOB_ATTEMPTS,
  });
  const counts = { completed: 0, failed: 0 };
  worker.on('completed', (job, result: WorkerEvent['result']) => {
    counts.completed++;
    o.onEvent?.({ kind: 'completed', path: job.data.path, attempt: job.attemptsMade, result });
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const willRetry = job.attemptsMade < (job.opts.attempts ?? 1);
    if (!willRetry) counts.failed++;
    o.onEvent?.({ kind: 'failed', path: job.data.path, attempt: job.attemptsMade, error: error.message, willRetry });
  });
  worker.on('error', () => undefined);
  const queue = new Queue(QUEUE_NAME, { connection });
  try {
    while (!o.signal?.aborted) {
      await sleep(o.drain ? DRAIN_POLL_MS : 500);
      if (!o.drain) continue;
      const left = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
      if (Object.values(left).every((n) => n === 0)) break;
    }
  } finally {
    await worker.close();
    await queue.close();
  }
  return counts;
}
