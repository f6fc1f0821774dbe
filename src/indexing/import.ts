import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { describeError, inputError, listedInputError } from '../core/errors.js';
import type { OnProgress } from '../core/events.js';
import { readJsonLines } from '../util/jsonl.js';
import { probeVideo, type VideoInfo } from '../media/probe.js';
import { l2NormalizeRows } from '../models/vectors.js';
import type { ModelManifest } from '../models/encoder.js';
import type { SegmentRow } from '../store/schema.js';
import { SegmentWriter } from '../store/writer.js';
import { readNpy } from '../util/npy.js';
import { maintainAnn, type AnnAction } from './ann.js';
import { IndexRun } from './commit.js';
import { openIndex } from './open.js';
import { videoRow } from './run.js';

export interface ImportOptions {
  /** float32 rows × dim: one segment vector per row. */
  vectors: string;
  /** JSON Lines: line i is row i's `{"video", "start", "end", "domain"?}`. */
  segments: string;
  /** Optional float32 rows × (frames·dim): each segment's per-frame vectors. */
  frames?: string;
  db: string;
  model?: string;
  /** The domain of lines that give none. */
  domain?: string;
  /** Hears of waits for the index lock. */
  onProgress?: OnProgress;
}

export interface ImportSummary {
  imported: number;
  skipped: number;
  segments: number;
  model: ModelManifest;
  ann: AnnAction;
}

/** Seconds a span may pass the container's duration by (durations are rounded in containers). */
const END_SLACK = 0.5;

const lineSchema = z.object({
  video: z.string().min(1),
  start: z.number().nonnegative(),
  end: z.number().positive(),
  domain: z.string().optional(),
}).refine((l) => l.end > l.start, { message: 'end must be greater than start' });

/**
 * `vidlens import`: segment vectors computed elsewhere (e.g. a GPU pipeline with the same model)
 * added to the index as if `vidlens index` had made them — through the same commit protocol, so it
 * is safe beside other writers and a video already indexed is skipped. Refuses vectors of another
 * width than the model's, videos that do not exist and spans outside their video, listing every
 * problem with its line. Without `--frames`, each frame slot holds the segment vector.
 */
export async function runImport(o: ImportOptions): Promise<ImportSummary> {
  const vectors = await readNpy(o.vectors);
  const lines = await readJsonLines(o.segments, lineSchema);
  if (vectors.rows !== lines.length) throw inputError(`--vectors ${o.vectors} has ${vectors.rows} rows but --segments ${o.segments} has ${lines.length} lines; they must match row for line`);
  const { catalog, encoder } = await openIndex(o.db, { model: o.model, create: true });
  try {
    const { dim } = encoder.manifest;
    const { frames } = catalog.manifest!.sampling;
    if (vectors.cols !== dim) throw inputError(`--vectors ${o.vectors}: ${vectors.cols} values per row, but ${encoder.manifest.id} embeds in ${dim}`);
    const frameData = o.frames ? await readNpy(o.frames) : undefined;
    if (frameData && (frameData.rows !== vectors.rows || frameData.cols !== frames * dim)) {
      throw inputError(`--frames ${o.frames}: expected ${vectors.rows} rows of ${frames} × ${dim} = ${frames * dim} values (the index samples ${frames} frames per segment), got ${frameData.rows} × ${frameData.cols}`);
    }

    const base = dirname(resolve(o.segments));
    const byVideo = new Map<string, Array<{ row: number; line: number; start: number; end: number; domain: string }>>();
    lines.forEach(({ line, value }, row) => {
      const path = isAbsolute(value.video) ? value.video : resolve(base, value.video);
      const list = byVideo.get(path) ?? [];
      list.push({ row, line, start: value.start, end: value.end, domain: value.domain ?? o.domain ?? '' });
      byVideo.set(path, list);
    });
    const problems: string[] = [];
    const infos = new Map<string, VideoInfo>();
    for (const [path, rows] of byVideo) {
      const info = await probeVideo(path).catch((error: unknown) => {
        problems.push(`${o.segments}:${rows[0].line}: ${describeError(error)}`);
        return undefined;
      });
      if (!info) continue;
      infos.set(path, info);
      for (const r of rows) if (r.end > info.duration + END_SLACK) problems.push(`${o.segments}:${r.line}: span ${r.start}–${r.end} s ends after ${path} (${info.duration.toFixed(2)} s)`);
    }
    if (problems.length) throw listedInputError(`--segments ${o.segments}: ${problems.length} problem(s); nothing was imported`, problems);

    const pooled = l2NormalizeRows(Float32Array.from(vectors.data), dim);
    const frameVectors = frameData ? l2NormalizeRows(Float32Array.from(frameData.data), dim) : undefined;
    const run = await IndexRun.begin(catalog, { onProgress: o.onProgress });
    let imported = 0;
    let segments = 0;
    let skipped = 0;
    try {
      const plan = await run.plan([...byVideo.keys()]);
      skipped = plan.unchanged;
      const writer = new SegmentWriter(catalog);
      for (const candidate of plan.toIndex) {
        const rows = [...byVideo.get(candidate.path)!].sort((a, b) => a.start - b.start || a.end - b.end);
        for (const [idx, r] of rows.entries()) await writer.add(segmentRow(candidate.id, idx, r, pooled, frameVectors, dim, frames, encoder.manifest.id));
        writer.complete(videoRow(candidate, infos.get(candidate.path)!, rows[0].domain, rows.length));
        imported++;
        segments += rows.length;
      }
      await writer.flush();
    } finally {
      await run.end();
    }
    return { imported, skipped, segments, model: encoder.manifest, ann: await maintainAnn(catalog) };
  } finally {
    await encoder.dispose();
  }
}

/** One imported segment; frame times are the centres of equal sub-intervals of the span, as indexing samples them. */
function segmentRow(videoId: string, idx: number, r: { row: number; start: number; end: number; domain: string }, pooled: Float32Array, frameVectors: Float32Array | undefined, dim: number, frames: number, model: string): SegmentRow {
  const vector = pooled.slice(r.row * dim, (r.row + 1) * dim);
  const flat = new Float32Array(frames * dim);
  for (let f = 0; f < frames; f++) flat.set(frameVectors ? frameVectors.subarray((r.row * frames + f) * dim, (r.row * frames + f + 1) * dim) : vector, f * dim);
  const step = (r.end - r.start) / frames;
  return {
    id: `${videoId}:${idx}`, video_id: videoId, idx, start: r.start, end: r.end, domain: r.domain, model, vector,
    frame_vectors: flat, frame_times: Float32Array.from({ length: frames }, (_, f) => r.start + (f + 0.5) * step),
  };
}
