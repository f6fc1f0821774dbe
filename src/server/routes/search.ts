import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { groupByVideo } from '../../search/group.js';
import type { SearchResult } from '../../search/search.js';
import { HttpError } from '../errors.js';
import { errorBody, filterQuery, idParams, searchQuery, searchResponse, similarResponse } from '../schemas.js';
import type { ServerContext } from '../context.js';

/** A configured head by the name a request gives (`--adapter NAME=DIR`); an unknown name is a 400. */
function head(kind: string, names: Record<string, string>, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const dir = names[name];
  if (dir === undefined) {
    const known = Object.keys(names);
    throw new HttpError(400, `${kind} ${name}: not configured (${known.length ? `the server has: ${known.join(', ')}` : `start the server with --${kind} NAME=DIR`})`);
  }
  return dir;
}

const similar = (model: string, k: number, segment: string | null, results: SearchResult[]) => ({ model, k, segment, groups: groupByVideo(results), results });

/** Text search, and "more like this" from an indexed segment or an uploaded image. */
export function searchRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const model = () => ctx.session.encoder.manifest.id;

  api.get('/api/search', {
    schema: { summary: 'segments that match a text, grouped per video', querystring: searchQuery, response: { 200: searchResponse, 400: errorBody } },
  }, async (request) => {
    const { q, adapter, reranker, ...filter } = request.query;
    const response = await ctx.session.search(q, { ...filter, adapter: head('adapter', ctx.adapters, adapter), reranker: head('reranker', ctx.rerankers, reranker) });
    return { ...response, groups: groupByVideo(response.results) };
  });

  api.get('/api/segments/:id/similar', {
    schema: { summary: 'segments like an indexed segment (itself left out)', params: idParams, querystring: filterQuery, response: { 200: similarResponse, 400: errorBody, 404: errorBody } },
  }, async (request) => {
    if (!(await ctx.session.segment(request.params.id))) throw new HttpError(404, `segment ${request.params.id}: not in the index`);
    const results = await ctx.session.similarToSegment(request.params.id, request.query);
    return similar(model(), request.query.k, request.params.id, results);
  });

  api.post('/api/similar/image', {
    bodyLimit: ctx.maxUploadBytes,
    schema: {
      summary: `segments like an uploaded image (the raw bytes with an image/* content type, at most ${ctx.maxUploadBytes} bytes)`,
      querystring: filterQuery,
      response: { 200: similarResponse, 400: errorBody, 413: errorBody, 415: errorBody },
    },
  }, async (request) => {
    if (!/^image\//.test(request.headers['content-type'] ?? '')) throw new HttpError(415, `the body must be an image (Content-Type: image/jpeg, image/png, …), not ${request.headers['content-type'] ?? 'untyped'}`);
    if (!(request.body instanceof Buffer) || request.body.length === 0) throw new HttpError(400, 'the request body is empty; send the image bytes');
    const results = await ctx.session.similarToImage(request.body, 'the uploaded image', request.query);
    return similar(model(), request.query.k, null, results);
  });
}
