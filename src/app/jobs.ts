import { realpath, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { describeError, inputError, usageError } from '../core/errors.js';
import type { Progress } from '../core/events.js';
import { scanPaths } from '../media/scan.js';
import { runIndex, type IndexSummary } from '../indexing/run.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** What a client sees of an index job (and each server-sent event carries). */
export interface JobView {
  id: string;
  path: string;
  domain: string;
  state: JobState;
  progress: Progress | null;
  created: string;
  finished: string | null;
  /** Counts of the finished run; failed files are listed by path. */
  summary: Pick<IndexSummary, 'indexed' | 'skipped' | 'segments' | 'failed' | 'warnings' | 'seconds'> | null;
  error: string | null;
}

type Listener = (job: JobView) => void;

interface Job {
  view: JobView;
  controller: AbortController;
  listeners: Set<Listener>;
}

/** Whether `path` is `root` or lies inside it (both real paths). */
const inside = (root: string, path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * Index jobs a server runs for its clients, one at a time in order, through the same `runIndex` as
 * the CLI. Only folders inside the configured roots may be indexed, judged on real paths: a
 * symbolic link that leads out of the roots is left out (and named in the job's warnings).
 */
export class IndexJobs {
  private readonly jobs = new Map<string, Job>();
  private queue: Promise<void> = Promise.resolve();
  private next = 1;

  private constructor(
    private readonly db: string,
    private readonly roots: string[],
  ) {}

  /** `roots` must exist; none means index jobs are refused. */
  static async create(db: string, roots: string[]): Promise<IndexJobs> {
    const real = await Promise.all(
      roots.map((r) => realpath(r).catch(() => {
        throw usageError(`--job-root ${r}: no such folder`);
      })),
    );
    return new IndexJobs(db, real);
  }

  get enabled(): boolean {
    return this.roots.length > 0;
  }

  list(): JobView[] {
    return [...this.jobs.values()].map((j) => j.view);
  }

  get(id: string): JobView | undefined {
    return this.jobs.get(id)?.view;
  }

  /** Calls `listener` on every change of the job until it ends; returns the unsubscribe function. */
  subscribe(id: string, listener: Listener): () => void {
    const job = this.jobs.get(id);
    if (!job) return () => undefined;
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  /** Checks the folder and queues its indexing. */
  async start(path: string, domain = ''): Promise<JobView> {
    if (!this.enabled) throw usageError('index jobs are off: start the server with --job-root DIR to allow indexing folders inside DIR');
    const real = await realpath(path).catch(() => {
      throw inputError(`${path}: no such file or folder`);
    });
    if (!this.roots.some((root) => inside(root, real))) throw usageError(`${path}: not inside an index-job root (${this.roots.join(', ')})`);
    const id = String(this.next++);
    const job: Job = {
      view: { id, path: real, domain, state: 'queued', progress: null, created: new Date().toISOString(), finished: null, summary: null, error: null },
      controller: new AbortController(),
      listeners: new Set(),
    };
    this.jobs.set(id, job);
    this.queue = this.queue.then(() => this.run(job));
    return job.view;
  }

  /** Cancels a queued or running job; what it already committed stays. */
  cancel(id: string): JobView | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    job.controller.abort();
    if (job.view.state === 'queued') this.finish(job, { state: 'cancelled' });
    return job.view;
  }

  /** Cancels every job and waits for the running one to stop. */
  async close(): Promise<void> {
    for (const id of this.jobs.keys()) this.cancel(id);
    await this.queue;
  }

  private update(job: Job, change: Partial<JobView>): void {
    job.view = { ...job.view, ...change };
    for (const listener of job.listeners) listener(job.view);
  }

  private finish(job: Job, change: Partial<JobView>): void {
    this.update(job, { ...change, finished: new Date().toISOString() });
    job.listeners.clear();
  }

  private async run(job: Job): Promise<void> {
    if (job.view.state !== 'queued') return;
    this.update(job, { state: 'running' });
    try {
      const { files, outside } = await this.filesInside(job.view.path);
      const left = outside.map((p) => `${p}: leads outside the index-job roots; not indexed`);
      if (files.length === 0 && outside.length > 0) {
        this.finish(job, { state: 'done', summary: { indexed: 0, skipped: 0, segments: 0, failed: [], warnings: left, seconds: 0 } });
        return;
      }
      const summary = await runIndex({
        // An empty folder goes through as it is, for runIndex's "no video files" warning.
        paths: files.length ? files : [job.view.path],
        db: this.db,
        domain: job.view.domain,
        signal: job.controller.signal,
        onProgress: (progress) => this.update(job, { progress }),
      });
      const { indexed, skipped, segments, failed, warnings, seconds } = summary;
      this.finish(job, { state: summary.cancelled ? 'cancelled' : 'done', summary: { indexed, skipped, segments, failed, warnings: [...left, ...warnings], seconds } });
    } catch (error) {
      this.finish(job, { state: job.controller.signal.aborted ? 'cancelled' : 'failed', error: describeError(error) });
    }
  }

  /** The folder's video files whose real paths stay inside the roots, and those that do not. */
  private async filesInside(path: string): Promise<{ files: string[]; outside: string[] }> {
    if (!(await stat(path)).isDirectory()) return { files: [path], outside: [] };
    const scan = await scanPaths([path]);
    const files: string[] = [];
    const outside: string[] = [];
    for (const file of scan.files) {
      const real = await realpath(file);
      (this.roots.some((root) => inside(root, real)) ? files : outside).push(file);
    }
    return { files, outside };
  }
}
