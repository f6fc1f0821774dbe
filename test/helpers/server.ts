import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import { vidlens } from './cli.js';

export interface ServedIndex {
  db: string;
  synth: string;
  model: string;
}

/**
 * An index the server tests share: the bundled pretrained model over 4 lab and 4 night clips of
 * 12 s (three 4 s segments each), indexed per domain.
 */
export async function servedIndex(root: string): Promise<ServedIndex> {
  const synth = join(root, 'synth');
  const db = join(root, 'db');
  const model = join(root, 'model');
  expect((await vidlens(['model', 'pretrained', model])).code).toBe(0);
  expect((await vidlens(['synth', '--out', synth, '--per-domain', '4', '--domains', 'lab,night', '--seconds', '12'])).code).toBe(0);
  for (const domain of ['lab', 'night']) {
    const run = await vidlens(['index', join(synth, 'videos', domain), '--db', db, '--model', model, '--domain', domain]);
    expect(run.code, run.stderr).toBe(0);
  }
  return { db, synth, model };
}

/** A real server on 127.0.0.1 (any free port); `close` stops it. */
export async function startServer(options: ServerOptions): Promise<{ url: string; app: FastifyInstance; close: () => Promise<void> }> {
  const app = await buildServer(options);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, app, close: () => app.close() };
}

export async function getJson<T = Record<string, unknown>>(url: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}
