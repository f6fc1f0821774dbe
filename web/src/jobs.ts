import type { JobBody } from '../../src/server/schemas.js';
import { getJson, sendJson } from './api.js';
import { byId, h } from './dom.js';

function jobRow(job: JobBody): HTMLElement {
  const p = job.progress;
  const pct = p && p.total > 0 ? Math.round((100 * p.done) / p.total) : job.state === 'done' ? 100 : 0;
  const s = job.summary;
  const detail = job.error ?? (s ? `${s.indexed} indexed, ${s.skipped} unchanged, ${s.segments} segments, ${s.failed.length} failed${s.warnings.length ? ` · ${s.warnings.join('; ')}` : ''}` : p ? `${p.task} ${p.done}/${p.total} ${p.unit}` : '');
  const running = job.state === 'queued' || job.state === 'running';
  return h('li', { class: `job ${job.state}`, 'data-job': job.id },
    h('div', {}, h('strong', {}, job.path), ` — ${job.state}`),
    h('progress', { max: 100, value: pct, 'aria-label': `job ${job.id} progress` }),
    h('div', { class: 'meta' }, detail),
    running ? h('button', { onclick: () => void sendJson('DELETE', `/api/jobs/${job.id}`) }, 'Cancel') : null,
  );
}

/** The index-jobs panel: a form to start one, and each job's progress as it streams in. */
export class JobsPanel {
  private readonly jobs = new Map<string, JobBody>();

  constructor(private readonly onIndexed: () => void) {}

  async load(): Promise<void> {
    const { enabled, jobs } = await getJson<{ enabled: boolean; jobs: JobBody[] }>('/api/jobs');
    byId('jobs').hidden = !enabled;
    for (const job of jobs) this.follow(job);
    this.render();
    byId<HTMLFormElement>('job-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const form = event.target as HTMLFormElement;
      const data = new FormData(form);
      sendJson<JobBody>('POST', '/api/jobs', { path: String(data.get('path')), domain: String(data.get('domain') ?? '') || undefined })
        .then((job) => {
          byId('job-error').textContent = '';
          this.follow(job);
        })
        .catch((error: Error) => {
          byId('job-error').textContent = error.message;
        });
    });
  }

  private follow(job: JobBody): void {
    this.jobs.set(job.id, job);
    if (job.state !== 'queued' && job.state !== 'running') return;
    const events = new EventSource(`/api/jobs/${job.id}/events`);
    events.onmessage = (message) => {
      const next = JSON.parse(message.data as string) as JobBody;
      this.jobs.set(next.id, next);
      this.render();
      if (next.state !== 'queued' && next.state !== 'running') {
        events.close();
        this.onIndexed();
      }
    };
    events.onerror = () => events.close();
  }

  private render(): void {
    byId('job-list').replaceChildren(...[...this.jobs.values()].reverse().map(jobRow));
  }
}
