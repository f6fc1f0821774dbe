import type { SandboxedJob } from 'bullmq';
import { loadEncoder } from '../models/load.js';
import type { IndexJobData } from './queue.js';
import { runIndex } from './run.js';

/** Where a worker's jobs write (its `--db`) and how many threads each job's ONNX Runtime and ffmpeg use (`--threads`), handed to this child process by `runWorker`. */
export const WORKER_DB_ENV = 'VIDLENS_WORKER_DB';
export const WORKER_THREADS_ENV = 'VIDLENS_WORKER_THREADS';

type Loaded = Awaited<ReturnType<typeof loadEncoder>>;
const kept = new Map<string, Promise<Loaded>>();

/**
 * BullMQ reuses a sandboxed child for the worker's next jobs, so the model is loaded once per child
 * (per model and thread count) and kept: each job's run "disposes" a handle that leaves it loaded.
 * A model folder changed while a worker runs is seen after the worker restarts.
 */
const keepLoaded: typeof loadEncoder = (model, options = {}) => {
  const key = `${model}\0${options.threads ?? ''}`;
  let loading = kept.get(key);
  if (!loading) {
    loading = loadEncoder(model, options);
    kept.set(key, loading);
    loading.catch(() => kept.delete(key));
  }
  return loading.then((l) => ({ ...l, encoder: Object.assign(Object.create(l.encoder) as Loaded['encoder'], { dispose: async () => undefined }) }));
};

/**
 * One queued video, indexed in the sandboxed child process BullMQ forks (so the parent keeps renewing
 * the job's lock while frames are decoded and embedded). The index's commit protocol makes a repeat
 * harmless: a video already committed is skipped as unchanged, one half-written by a killed run is
 * swept and redone. A file that fails throws, so BullMQ retries it with backoff.
 */
export default async function indexJob(job: SandboxedJob<IndexJobData>) {
  const db = process.env[WORKER_DB_ENV];
  if (!db) throw new Error(`${WORKER_DB_ENV} is not set: jobs run under 'vidlens worker'`);
  let reported = 0;
  const summary = await runIndex({
    paths: [job.data.path], db, model: job.data.model, sampling: job.data.sampling, domain: job.data.domain, tta: job.data.tta,
    threads: process.env[WORKER_THREADS_ENV] ? Number(process.env[WORKER_THREADS_ENV]) : undefined,
    loader: keepLoaded,
    warnGone: false,
    onProgress: (p) => {
      const percent = p.total ? Math.floor((100 * p.done) / p.total) : 0;
      if (p.task === 'indexing' && percent >= reported + 10) void job.updateProgress((reported = percent));
    },
  });
  if (summary.failed.length) throw new Error(summary.failed.map((f) => f.error).join('; '));
  return { indexed: summary.indexed, skipped: summary.skipped, segments: summary.segments, seconds: summary.seconds };
}
