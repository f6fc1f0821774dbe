import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import type { OnProgress } from '../core/events.js';
import { StoreError } from './errors.js';

const LOCK = '.vidlens-lock';

/**
 * How long a writer waits for a live holder of the index lock. Building or compacting the ANN index
 * of a large table runs under the lock (about 150 s at a million segments here, BENCHMARKS.md), so a
 * commit arriving meanwhile waits that long rather than failing; a dead holder is taken over sooner.
 */
export const LOCK_WAIT_MS = 15 * 60_000;

/**
 * Runs `fn` while holding the index's writer lock: a short critical section (deciding which videos
 * a run takes, sweeping what dead runs left) that several processes, or machines sharing the folder,
 * must not interleave. The lock is a directory made atomically beside the tables; a holder that died
 * leaves it stale after a few seconds, and the next writer takes it over. Long work that must not hold
 * up writers (refreshing an adapter's copy of the vectors) takes a lock of its own name.
 */
export interface LockOptions {
  /** The lock's name beside the tables (default `.vidlens-lock`). */
  lock?: string;
  waitMs?: number;
  /** Told every second once the wait passes 2 s, so a run waiting behind a long build is not silent. */
  onProgress?: OnProgress;
}

export async function withIndexLock<T>(dir: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const release = await acquire(dir, options.lock ?? LOCK, options.waitMs ?? LOCK_WAIT_MS, options.onProgress);
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

/** Takes the lock, retrying only while a live process holds it: any other failure (an unwritable folder) is reported at once. */
async function acquire(dir: string, lock: string, waitMs: number, onProgress?: OnProgress): Promise<() => Promise<void>> {
  const started = performance.now();
  let told = 0;
  for (let pause = 25; ; pause = Math.min(500, pause * 1.3)) {
    try {
      return await lockfile.lock(dir, { lockfilePath: join(dir, lock), realpath: false, stale: 10_000, update: 2_000 });
    } catch (error) {
      const waited = performance.now() - started;
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw new StoreError(dir, `cannot take the lock ${lock}: ${(error as Error).message}`, error);
      if (waited >= waitMs) {
        throw new StoreError(dir, `another vidlens process held the lock ${lock} for the ${(waited / 1000).toFixed(1)} s this one waited and is still running (building or compacting the ANN index of a large table takes minutes); try again when it ends`, error);
      }
      const seconds = Math.floor(waited / 1000);
      if (seconds >= 2 && seconds > told) {
        told = seconds;
        onProgress?.({ task: 'waiting for the index lock', done: seconds, total: Math.round(waitMs / 1000), unit: 's', item: `${lock} is held by another vidlens process` });
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
