import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReportEntry } from '../../app/reports.js';
import { HttpError, notFound } from '../errors.js';
import { errorBody, reportEntry, reportView } from '../schemas.js';
import type { ServerContext } from '../context.js';

const publicEntry = ({ dir: _dir, ...entry }: ReportEntry) => entry;
const nameParams = z.object({ name: z.string().min(1).max(1000) });

/** The eval reports under `--reports DIR`: a list, one report's JSON with its summary, and its HTML page. */
export function reportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const shelf = () => ctx.reports ?? Promise.reject(new HttpError(404, 'no reports folder: start the server with --reports DIR'));

  api.get('/api/reports', {
    schema: { summary: 'eval reports, newest first', response: { 200: z.object({ enabled: z.boolean(), reports: z.array(reportEntry) }) } },
  }, async () => ({ enabled: ctx.reports !== undefined, reports: ctx.reports ? (await ctx.reports.list()).map(publicEntry) : [] }));

  api.get('/api/reports/:name', {
    schema: { summary: 'one report (name as listed, URL-encoded) with its text summary', params: nameParams, response: { 200: reportView, 404: errorBody } },
  }, async (request) => {
    const found = await (await shelf()).get(request.params.name);
    if (!found) throw notFound(`report ${request.params.name}`);
    return { ...publicEntry(found.entry), summary: found.summary, report: found.report as unknown as Record<string, unknown> };
  });

  api.get('/api/reports/:name/html', {
    schema: { summary: "one report's report.html", params: nameParams },
  }, async (request, reply) => {
    const found = (await (await shelf()).list()).find((e) => e.name === request.params.name && e.html);
    if (!found) throw notFound(`report page ${request.params.name}`);
    return reply.sendFile('report.html', found.dir, { index: false });
  });
}
