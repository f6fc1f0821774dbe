import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { StoreError } from './errors.js';

const LOCK = '.vidlens-lock';

/**
 * Runs `fn` while holding the index's writer lock: a short critical section (deciding which videos
 * a run takes, sweeping what dead runs left) that several processes, or machines sharing the folder,
 * must not interleave. The lock is a directory made atomically beside the tables; a holder that died
 * leaves it stale after a few seconds, and the next writer takes it over. Long work that must not hold
 * up writers (refreshing an adapter's copy of the vectors) takes a lock of its own name.
 */
export async function withIndexLock<T>(dir: string, fn: () => Promise<T>, lock = LOCK): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: join(dir, lock),
      realpath: false,
      stale: 10_000,
      update: 2_000,
      retries: { retries: 200, minTimeout: 25, maxTimeout: 500, factor: 1.3 },
    });
  } catch (error) {
    throw new StoreError(dir, `another vidlens process holds the lock ${lock} and did not release it`, error);
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
