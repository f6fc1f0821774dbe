import type { IndexJobs } from '../app/jobs.js';
import type { ReportShelf } from '../app/reports.js';
import type { Session } from '../app/session.js';
import type { Thumbnails } from './thumbnails.js';

/** What every route reaches: the one session, the job queue, the report shelf and the configuration. */
export interface ServerContext {
  session: Session;
  jobs: IndexJobs;
  reports: ReportShelf | undefined;
  thumbnails: Thumbnails;
  /** Configured heads by name (`--adapter NAME=DIR`, `--reranker NAME=DIR`). */
  adapters: Record<string, string>;
  rerankers: Record<string, string>;
  maxUploadBytes: number;
}
