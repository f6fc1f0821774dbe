import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { describeError, inputError, usageError } from '../core/errors.js';
import { contentId } from '../media/video-id.js';
import type { SamplingOptions } from '../media/plan.js';
import { scanPaths } from '../media/scan.js';
import type { Tta } from './embed-loop.js';

/** The BullMQ queue every vidlens producer and worker shares on one Redis. */
export const QUEUE_NAME = 'vidlens-index';
/** A job is tried this many times, backing off exponentially from this delay. */
export const JOB_ATTEMPTS = 3;
export const JOB_BACKOFF_MS = 2_000;

/** One video to index, as a worker receives it: the index (`--db`) is the worker's. */
export interface IndexJobData {
  path: string;
  model?: string;
  sampling: Partial<SamplingOptions>;
  domain?: string;
  tta?: Tta;
}

/** Redis connection options from `redis://[:password@]host[:port][/db]`; anything else names `--queue`. */
export function queueConnection(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`--queue ${url}: not a URL (expected redis://HOST:PORT)`);
  }
  if (parsed.protocol !== 'redis:') throw usageError(`--queue ${url}: expected a redis:// URL`);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(db ? { db: Number(db) } : {}),
    // BullMQ's blocking commands need this; reachability is checked once, up front (`assertReachable`).
    maxRetriesPerRequest: null,
  };
}

/** One bounded PING, so an unreachable Redis is an error naming `--queue` instead of endless reconnects. */
export async function assertReachable(url: string): Promise<void> {
  const options = queueConnection(url) as Record<string, unknown>;
  const client = new Redis({ ...options, lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // The socket's own error (ECONNREFUSED, ENOTFOUND) says more than the "Connection is closed" that connect() rejects with.
  let cause: unknown;
  client.on('error', (error: unknown) => (cause ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw usageError(`--queue ${url}: cannot reach Redis (${describeError(cause ?? error)}); start redis-server there, or check the host and port`);
  } finally {
    client.disconnect();
  }
}

/**
 * The job id of a video: its content id with the model and sampling asked for. The same video queued
 * twice (or by two producers) is one job; BullMQ ignores an add whose id it already holds.
 */
export function jobId(videoId: string, data: Omit<IndexJobData, 'path'>): string {
  const key = JSON.stringify([data.model ?? null, data.sampling.window ?? null, data.sampling.stride ?? null, data.sampling.frames ?? null, data.tta ?? null]);
  return `${videoId}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

export interface EnqueueSummary {
  /** New jobs. */
  enqueued: number;
  /** Videos whose job the queue already held (waiting, running, done or failed). */
  existing: number;
  ignored: number;
  failed: Array<{ path: string; error: string }>;
  jobs: Array<{ id: string; path: string; state: 'new' | 'existing' }>;
}

/** `vidlens index <paths> --queue URL`: one job per video file, with retries and backoff. */
export async function enqueueIndex(url: string, paths: string[], data: Omit<IndexJobData, 'path'>): Promise<EnqueueSummary> {
  await assertReachable(url);
  const scan = await scanPaths(paths);
  if (scan.files.length === 0 && scan.missing.length === paths.length) throw inputError(scan.missing.map((m) => m.error).join('; '));
  const queue = new Queue<IndexJobData>(QUEUE_NAME, { connection: queueConnection(url) });
  const summary: EnqueueSummary = { enqueued: 0, existing: 0, ignored: scan.ignored, failed: [...scan.missing], jobs: [] };
  try {
    for (const file of scan.files) {
      let id: string;
      try {
        id = jobId((await contentId(file)).id, data);
      } catch (error) {
        summary.failed.push({ path: file, error: describeError(error) });
        continue;
      }
      const known = await queue.getJob(id);
      if (!known) await queue.add('index', { ...data, path: resolve(file) }, { jobId: id, attempts: JOB_ATTEMPTS, backoff: { type: 'exponential', delay: JOB_BACKOFF_MS }, removeOnComplete: { count: 100_000 }, removeOnFail: { count: 100_000 } });
      summary[known ? 'existing' : 'enqueued']++;
      summary.jobs.push({ id, path: resolve(file), state: known ? 'existing' : 'new' });
    }
  } finally {
    await queue.close();
  }
  return summary;
}

export interface QueueStatus {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  /** The last failures: which video and why. */
  failures: Array<{ path: string; error: string; attempts: number }>;
}

/** `vidlens index --queue URL --status`: the queue's counts and its last failures. */
export async function queueStatus(url: string): Promise<QueueStatus> {
  await assertReachable(url);
  const queue = new Queue<IndexJobData>(QUEUE_NAME, { connection: queueConnection(url) });
  try {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    const failedJobs = await queue.getFailed(0, 19);
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
      failures: failedJobs.map((j) => ({ path: j.data.path, error: j.failedReason, attempts: j.attemptsMade })),
    };
  } finally {
    await queue.close();
  }
}
