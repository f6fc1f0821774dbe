import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

const RUNS = '.vidlens-runs';
/** A lease from another machine that has not been renewed for this long belongs to a dead writer. */
const FOREIGN_STALE_MS = 60_000;
const HEARTBEAT_MS = 10_000;

interface LeaseFile {
  run: string;
  pid: number;
  host: string;
  started: string;
  /** Ids of the videos this run is embedding: their segments are not orphans while it lives. */
  claims: string[];
}

function alive(lease: LeaseFile, mtimeMs: number): boolean {
  if (lease.host !== hostname()) return Date.now() - mtimeMs < FOREIGN_STALE_MS;
  try {
    process.kill(lease.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One indexing run's lease on an index: a small file naming the process and the videos it claimed.
 * A run's segments are committed before its video rows, so until a video row exists its segments
 * look like orphans; the lease is what tells a live writer's work from a dead one's leftovers.
 */
export class WriterLease {
  readonly run = randomUUID();
  private claims = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly dir: string) {}

  private get path(): string {
    return join(this.dir, RUNS, `${this.run}.json`);
  }

  static async acquire(dbDir: string): Promise<WriterLease> {
    const lease = new WriterLease(dbDir);
    await mkdir(join(dbDir, RUNS), { recursive: true });
    await lease.save();
    const renew = () => void utimes(lease.path, new Date(), new Date()).catch(() => undefined);
    lease.timer = setInterval(renew, HEARTBEAT_MS).unref();
    return lease;
  }

  /** Claims videos. Claims change only under the index lock, so readers there never see half a file. */
  async claim(ids: Iterable<string>): Promise<void> {
    for (const id of ids) this.claims.add(id);
    await this.save();
  }

  async releaseClaims(): Promise<void> {
    this.claims.clear();
    await this.save();
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    await rm(this.path, { force: true });
  }

  private async save(): Promise<void> {
    const body: LeaseFile = { run: this.run, pid: process.pid, host: hostname(), started: new Date().toISOString(), claims: [...this.claims] };
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, JSON.stringify(body));
    await rename(tmp, this.path);
  }

  /**
   * Video ids claimed by the live runs other than this one. Leases of dead writers are removed on the
   * way (their claims are void; what they left is swept as orphans).
   */
  async othersClaims(): Promise<Set<string>> {
    const folder = join(this.dir, RUNS);
    const claimed = new Set<string>();
    for (const name of await readdir(folder)) {
      if (!name.endsWith('.json') || name === `${this.run}.json`) continue;
      const path = join(folder, name);
      const lease = await readLease(path);
      if (!lease) continue;
      if (alive(lease.body, lease.mtimeMs)) for (const id of lease.body.claims) claimed.add(id);
      else await rm(path, { force: true });
    }
    return claimed;
  }
}

async function readLease(path: string): Promise<{ body: LeaseFile; mtimeMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { body: JSON.parse(text) as LeaseFile, mtimeMs: info.mtimeMs };
  } catch {
    // Removed or being replaced by its owner right now: it will be read on the next pass.
    return undefined;
  }
}
