import { z } from 'zod';
import { MAX_SEARCH_K, SEARCH_K } from '../search/defaults.js';

/**
 * The API's request and response shapes: fastify validates requests and serialises responses with
 * them, and the OpenAPI document (`/api/openapi.json`) is generated from them.
 */

const k = z.coerce.number().int().min(1).max(MAX_SEARCH_K).default(SEARCH_K).describe('number of results');
const seconds = z.coerce.number().min(0);

/** Filters every search takes. */
export const filterQuery = z.object({
  k,
  domain: z.string().optional().describe('only segments of this domain'),
  video: z.string().optional().describe('only segments of this video (id or indexed path)'),
  from: seconds.optional().describe('only segments ending after this second'),
  to: seconds.optional().describe('only segments starting before this second'),
});

export const searchQuery = filterQuery.extend({
  q: z.string().min(1).max(1000).describe('what to look for'),
  adapter: z.string().optional().describe('a configured adapter name'),
  reranker: z.string().optional().describe('a configured reranker name'),
});

export const videoRef = z.object({ id: z.string(), path: z.string(), domain: z.string() });

export const hit = z.object({
  rank: z.number().int(),
  score: z.number().describe('cosine similarity (or the reranker score); full precision'),
  video: videoRef,
  segment: z.string(),
  start: z.number(),
  end: z.number(),
  missing: z.literal(true).optional().describe('the video file is no longer at its path'),
});

export const group = z.object({
  video: videoRef,
  missing: z.literal(true).optional().describe('the video file is no longer at its path'),
  results: z.array(z.object({
    rank: z.number().int(),
    score: z.number(),
    start: z.number(),
    end: z.number(),
    segment: z.string().describe('the best segment of the merged span'),
    segments: z.array(z.string()).describe('every segment merged into this span, in time order'),
  })),
});

export const searchResponse = z.object({
  query: z.string(),
  model: z.string(),
  k: z.number().int(),
  groups: z.array(group),
  results: z.array(hit),
});

export const similarResponse = z.object({
  model: z.string(),
  k: z.number().int(),
  /** The segment searched from, when it was one. */
  segment: z.string().nullable(),
  groups: z.array(group),
  results: z.array(hit),
});

export const segmentInfo = z.object({
  id: z.string(),
  video_id: z.string(),
  idx: z.number().int(),
  start: z.number(),
  end: z.number(),
  domain: z.string(),
});

export const video = z.object({
  id: z.string(),
  path: z.string(),
  domain: z.string(),
  duration: z.number(),
  fps: z.number(),
  width: z.number(),
  height: z.number(),
  codec: z.string(),
  segments: z.number().int(),
  indexed_at: z.string(),
});

export const videoWithSegments = video.extend({ segmentList: z.array(segmentInfo) });

export const idParams = z.object({ id: z.string().min(1).max(300) });

export const jobBody = z.object({
  path: z.string().min(1).max(4096).describe('a folder or file inside an index-job root'),
  domain: z.string().max(200).optional(),
});

const progress = z.object({ task: z.string(), done: z.number(), total: z.number(), unit: z.string(), item: z.string().optional() });

export const job = z.object({
  id: z.string(),
  path: z.string(),
  domain: z.string(),
  state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  progress: progress.nullable(),
  created: z.string(),
  finished: z.string().nullable(),
  summary: z.object({
    indexed: z.number(),
    skipped: z.number(),
    segments: z.number(),
    failed: z.array(z.object({ path: z.string(), error: z.string() })),
    warnings: z.array(z.string()),
    seconds: z.number(),
  }).nullable(),
  error: z.string().nullable(),
});

export const reportEntry = z.object({
  name: z.string().describe('the report folder, relative to the reports root'),
  kind: z.string(),
  created: z.string(),
  model: z.string().nullable(),
  dataset: z.string(),
  n: z.number(),
  html: z.boolean().describe('whether report.html is there (served at /reports/NAME/report.html)'),
});

export const reportView = reportEntry.extend({
  summary: z.array(z.string()).describe("the CLI's text summary, line by line"),
  report: z.record(z.string(), z.unknown()),
});

export const errorBody = z.object({ error: z.string(), statusCode: z.number().int() });

/** The response bodies, as the page reads them. */
export type SearchBody = z.infer<typeof searchResponse>;
export type SimilarBody = z.infer<typeof similarResponse>;
export type GroupBody = z.infer<typeof group>;
export type VideoBody = z.infer<typeof videoWithSegments>;
export type VideoListBody = { videos: Array<z.infer<typeof video>> };
export type JobBody = z.infer<typeof job>;
export type ReportEntryBody = z.infer<typeof reportEntry>;
export type ReportViewBody = z.infer<typeof reportView>;
