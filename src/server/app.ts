import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VERSION } from '../core/version.js';
import { IndexJobs } from '../app/jobs.js';
import { ReportShelf } from '../app/reports.js';
import { Session } from '../app/session.js';
import { FailureLimiter, presentedToken, TOKEN_COOKIE, tokenMatches } from './auth.js';
import type { ServerContext } from './context.js';
import { installErrorHandler } from './errors.js';
import { jobRoutes } from './routes/jobs.js';
import { libraryRoutes } from './routes/library.js';
import { reportRoutes } from './routes/reports.js';
import { searchRoutes } from './routes/search.js';
import { Thumbnails } from './thumbnails.js';

export interface ServerOptions {
  db: string;
  model?: string;
  /** Required of every API request when set (see `auth.ts`). */
  token?: string;
  /** Folders index jobs may index inside; none turns jobs off. */
  jobRoots?: string[];
  /** Folder of eval reports (`vidlens eval … --out`). */
  reports?: string;
  adapters?: Record<string, string>;
  rerankers?: Record<string, string>;
  /** Largest image "more like this" takes (default 8 MiB). */
  maxUploadBytes?: number;
  logLevel?: string;
}

/** Largest JSON body any route takes. */
const MAX_BODY_BYTES = 64 * 1024;
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;

/** The package root, from `src/server` and `dist/server` alike: where `web/` and `dist/web/` are. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PAGE_DIRS = [join(PACKAGE_ROOT, 'web', 'public'), join(PACKAGE_ROOT, 'dist', 'web')];

/** Requests that need no token: the page shell and its scripts, which hold no data. */
const isPublic = (path: string) => path === '/' || path.startsWith('/assets/');

function installAuth(app: FastifyInstance, token: string): void {
  const limiter = new FailureLimiter();
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (isPublic(path)) return;
    const wait = limiter.retryAfter(request.ip);
    if (wait > 0) return reply.code(429).header('Retry-After', String(wait)).send({ error: `too many failed attempts; try again in ${wait} s`, statusCode: 429 });
    if (tokenMatches(token, presentedToken(request.headers))) return;
    limiter.fail(request.ip);
    return reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'a token is required: send Authorization: Bearer TOKEN (the token file is named at server start)', statusCode: 401 });
  });
}

/**
 * The vidlens server: one `Session` (the index opened and the model loaded once), a JSON API
 * described by `/api/openapi.json`, and the web page. Close it with `app.close()`.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  if (!existsSync(join(PACKAGE_ROOT, 'dist', 'web', 'main.js'))) throw new Error(`the web page is not built (${join(PACKAGE_ROOT, 'dist', 'web')}); run 'npm run build'`);
  const jobs = await IndexJobs.create(options.db, options.jobRoots ?? []);
  const session = await Session.open(options.db, { model: options.model, memory: true });
  const maxUploadBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  const ctx: ServerContext = {
    session, jobs, maxUploadBytes,
    reports: options.reports ? new ReportShelf(resolve(options.reports)) : undefined,
    thumbnails: new Thumbnails(),
    adapters: options.adapters ?? {},
    rerankers: options.rerankers ?? {},
  };

  const app = Fastify({ bodyLimit: MAX_BODY_BYTES, logger: { level: options.logLevel ?? 'warn' } });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  if (options.token) installAuth(app, options.token);
  app.addContentTypeParser(/^image\//, { parseAs: 'buffer', bodyLimit: maxUploadBytes }, (_request, body, done) => done(null, body));
  app.addHook('onSend', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'");
  });
  app.addHook('onClose', async () => {
    await jobs.close();
    await session.close();
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'vidlens', version: VERSION, description: 'Search, watch and judge an index of videos.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: options.token ? [{ bearer: [] }] : [],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifyStatic, { root: PAGE_DIRS, prefix: '/assets/', index: false, list: false, dotfiles: 'deny' });

  const api = app.withTypeProvider<ZodTypeProvider>();
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html', PAGE_DIRS[0]));
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  api.get('/api/info', { schema: { summary: 'the index: counts, model, sampling, domains (as `vidlens info --json`)', response: { 200: z.record(z.string(), z.unknown()) } } }, async () => {
    const info = await session.info();
    return { ...info };
  });
  // The token was checked by the auth hook; the page's <video> and <img> elements cannot send headers, so they get a cookie.
  api.post('/api/session', { schema: { summary: 'sets the (checked) bearer token as an HttpOnly cookie for the page’s media elements', response: { 200: z.object({ auth: z.boolean() }) } } }, async (_request, reply) => {
    if (!options.token) return { auth: false };
    return reply.header('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/`).send({ auth: true });
  });
  searchRoutes(app, ctx);
  libraryRoutes(app, ctx);
  jobRoutes(app, ctx);
  reportRoutes(app, ctx);
  return app;
}
