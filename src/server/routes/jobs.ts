import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { JobView } from '../../app/jobs.js';
import { notFound } from '../errors.js';
import { errorBody, idParams, job, jobBody } from '../schemas.js';
import type { ServerContext } from '../context.js';

const ended = (j: JobView) => j.state === 'done' || j.state === 'failed' || j.state === 'cancelled';

/** Index jobs: start one on a folder inside a job root, follow it as server-sent events, cancel it. */
export function jobRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const requireJob = (id: string) => ctx.jobs.get(id) ?? Promise.reject(notFound(`job ${id}`));

  api.get('/api/jobs', {
    schema: { summary: 'index jobs of this server, oldest first', response: { 200: z.object({ enabled: z.boolean(), jobs: z.array(job) }) } },
  }, async () => ({ enabled: ctx.jobs.enabled, jobs: ctx.jobs.list() }));

  api.post('/api/jobs', {
    schema: { summary: 'index a folder inside an index-job root (queued; one job runs at a time)', body: jobBody, response: { 202: job, 400: errorBody } },
  }, async (request, reply) => reply.code(202).send(await ctx.jobs.start(request.body.path, request.body.domain)));

  api.get('/api/jobs/:id', {
    schema: { summary: 'one job', params: idParams, response: { 200: job, 404: errorBody } },
  }, async (request) => requireJob(request.params.id));

  api.delete('/api/jobs/:id', {
    schema: { summary: 'cancel a job; what it committed stays', params: idParams, response: { 200: job, 404: errorBody } },
  }, async (request) => ctx.jobs.cancel(request.params.id) ?? Promise.reject(notFound(`job ${request.params.id}`)));

  api.get('/api/jobs/:id/events', {
    schema: { summary: 'the job as server-sent events (`data: JOB`), one per change, until it ends', params: idParams },
  }, async (request, reply) => {
    const current = await requireJob(request.params.id);
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    const send = (view: JobView) => {
      out.write(`data: ${JSON.stringify(view)}\n\n`);
      if (ended(view)) out.end();
    };
    send(current);
    if (ended(current)) return;
    const unsubscribe = ctx.jobs.subscribe(current.id, send);
    request.raw.on('close', unsubscribe);
  });
}
