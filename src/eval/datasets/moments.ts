import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { inputError } from '../../core/errors.js';
import type { MomentPrediction, Span } from '../metrics/moments.js';
import { readJsonLines, readJsonLinesById } from '../../util/jsonl.js';

/** One moment query: a text and the window(s) of one video where it happens. */
export interface MomentQuery {
  id: string;
  query: string;
  video: string;
  windows: Span[];
  domain: string;
  line: number;
}

const span = z.tuple([z.number().nonnegative(), z.number().nonnegative()]).refine(([s, e]) => e > s, { message: 'a window must end after it starts' });

const truthSchema = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    query: z.string().min(1).optional(),
    video: z.string().min(1),
    start: z.number().nonnegative().optional(),
    end: z.number().nonnegative().optional(),
    windows: z.array(span).min(1).optional(),
    domain: z.string().default(''),
  })
  .refine((t) => (t.windows !== undefined) !== (t.start !== undefined && t.end !== undefined), { message: 'give either "start" and "end" or "windows"' })
  .refine((t) => t.start === undefined || t.end === undefined || t.end > t.start, { message: 'end must be greater than start' });

/**
 * Reads moment ground truth: JSON Lines of `{"id", "query", "video", "start", "end", "domain"}` or
 * with `"windows": [[start, end], …]` instead of start/end. `id` defaults to the line number. With
 * `resolveVideos`, relative video paths are resolved against the file's folder (as `vidlens synth`
 * writes them); otherwise they are compared as written.
 */
export async function loadMoments(path: string, options: { resolveVideos?: boolean; requireQuery?: boolean } = {}): Promise<MomentQuery[]> {
  const base = dirname(resolve(path));
  const rows = await readJsonLines(path, truthSchema);
  const seen = new Set<string>();
  return rows.map(({ line, value }) => {
    const id = String(value.id ?? line);
    if (seen.has(id)) throw inputError(`${path}:${line}: id ${id} appears twice`);
    seen.add(id);
    if (options.requireQuery && !value.query) throw inputError(`${path}:${line}: "query" is missing (the text to search for)`);
    const video = options.resolveVideos && !isAbsolute(value.video) ? resolve(base, value.video) : value.video;
    const windows: Span[] = value.windows ?? [[value.start!, value.end!]];
    return { id, query: value.query ?? '', video, windows, domain: value.domain, line };
  });
}

const predictionSchema = z.object({
  id: z.union([z.string(), z.number()]),
  predictions: z.array(z.object({ video: z.string().default(''), start: z.number(), end: z.number(), score: z.number() })),
});

/** Reads ranked predictions: JSON Lines of `{"id", "predictions": [{"video", "start", "end", "score"}, …]}`. */
export async function loadMomentPredictions(path: string): Promise<Map<string, MomentPrediction[]>> {
  const rows = await readJsonLinesById(path, predictionSchema);
  return new Map([...rows].map(([id, { value }]) => [id, value.predictions]));
}
