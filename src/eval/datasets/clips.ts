import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { inputError, listedInputError } from '../../core/errors.js';
import { readInput } from '../../util/read.js';
import { boundedText } from './text.js';

/** One labelled clip: a span of a video with captions, labels and a domain. */
export interface Clip {
  video: string;
  /** Seconds; undefined = from the start. */
  start?: number;
  /** Seconds; undefined = to the end. */
  end?: number;
  captions: string[];
  labels: string[];
  domain: string;
  split?: string;
  /** 1-based line in the source file, for error messages. */
  line: number;
}

/**
 * A short stable key of a clip (its video and span): what a trained head records of its training clips,
 * so that an evaluation can count the clips it was trained on.
 */
export function clipKey(c: Pick<Clip, 'video' | 'start' | 'end'>): string {
  return createHash('sha256').update(`${c.video}\0${c.start ?? ''}\0${c.end ?? ''}`).digest('hex').slice(0, 16);
}

export interface ClipDataset {
  path: string;
  sha256: string;
  clips: Clip[];
  /** Fields the loader does not read (ignored), e.g. `start_time` for `start`. */
  warnings: string[];
}

const clipSchema = z
  .object({
    video: z.string().min(1, 'video must be a non-empty path'),
    start: z.number().nonnegative().optional(),
    end: z.number().positive().optional(),
    captions: z.array(boundedText('a caption')).default([]),
    labels: z.array(z.string()).default([]),
    domain: z.string().default(''),
    split: z.string().optional(),
  })
  .loose()
  .refine((c) => c.start === undefined || c.end === undefined || c.end > c.start, { message: 'end must be greater than start' });

// `id` is the user's own name for a clip (vidlens synth writes one): kept in the file, not needed here.
const KNOWN_FIELDS = new Set(['id', 'video', 'start', 'end', 'captions', 'labels', 'domain', 'split']);
/** Likely meant fields for names seen in other datasets' formats. */
const MEANT: Record<string, string> = { start_time: 'start', end_time: 'end', begin: 'start', stop: 'end', caption: 'captions', text: 'captions', sentence: 'captions', narration: 'captions', label: 'labels', path: 'video', file: 'video', video_path: 'video' };

/** One warning per field vidlens does not read (it is ignored), with its first lines and what was likely meant. */
function unknownFieldWarnings(path: string, unknown: Map<string, number[]>): string[] {
  return [...unknown].map(([key, lines]) => {
    const where = `line${lines.length > 1 ? 's' : ''} ${lines.slice(0, 3).join(', ')}${lines.length > 3 ? `, … (${lines.length} lines)` : ''}`;
    return `${path}: field "${key}" (${where}) is not one vidlens reads and was ignored${MEANT[key] ? `; did you mean "${MEANT[key]}"?` : ''}`;
  });
}

/**
 * Reads the user format: JSONL, one clip per line,
 * `{"video": "path", "start": 0, "end": 4.5, "captions": [...], "labels": [...], "domain": "..."}`
 * (start/end optional: whole video). Relative video paths are resolved against the file's folder.
 * Every problem is an input error naming the file and line.
 */
export async function loadClipsJsonl(path: string, options: { checkVideos?: boolean; /** A task's own fields, read by its loader (no warning). */ taskFields?: readonly string[] } = {}): Promise<ClipDataset> {
  const text = await readInput(path, 'utf8');
  const base = dirname(resolve(path));
  const clips: Clip[] = [];
  const missing: string[] = [];
  const unknown = new Map<string, number[]>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw inputError(`${path}:${line}: not valid JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw inputError(`${path}:${line}: expected a JSON object per line, got ${Array.isArray(value) ? 'an array' : typeof value}`);
    }
    const parsed = clipSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw inputError(`${path}:${line}: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
    }
    for (const key of Object.keys(value)) if (!KNOWN_FIELDS.has(key) && !options.taskFields?.includes(key)) (unknown.get(key) ?? unknown.set(key, []).get(key)!).push(line);
    const c = parsed.data;
    const video = isAbsolute(c.video) ? c.video : resolve(base, c.video);
    if (options.checkVideos !== false && !existsSync(video)) missing.push(`${path}:${line}: video ${c.video} does not exist (resolved to ${video})`);
    clips.push({ video, start: c.start, end: c.end, captions: c.captions, labels: c.labels, domain: c.domain, split: c.split, line });
  });
  if (clips.length === 0) throw inputError(`${path}: no clips (expected one JSON object per line)`);
  // All missing videos at once: a dataset pointing at the wrong folder fails on every line.
  if (missing.length === 1) throw inputError(missing[0]);
  if (missing.length > 1) throw listedInputError(`${path}: ${missing.length} of ${clips.length} clips name a video that does not exist:`, missing);
  return { path: resolve(path), sha256: createHash('sha256').update(text).digest('hex'), clips, warnings: unknownFieldWarnings(path, unknown) };
}

/**
 * `--skip-missing`: the indices of the clips whose video exists, and a line for each one that does not
 * (file and line for JSONL, else the video path), so a report can list what it left out.
 */
export function clipsWithVideos(data: ClipDataset, indices: number[]): { kept: number[]; skipped: string[] } {
  const kept: number[] = [];
  const skipped: string[] = [];
  for (const i of indices) {
    const c = data.clips[i];
    if (existsSync(c.video)) kept.push(i);
    else skipped.push(`${data.path}:${c.line}: video ${c.video} does not exist`);
  }
  return { kept, skipped };
}

/** The warning of a run that left clips out (`clipsWithVideos`), or none. */
export function skippedWarning(skipped: string[]): string[] {
  return skipped.length ? [`skipped ${skipped.length} clip(s) whose video does not exist (listed in the report's config.skipped), e.g. ${skipped[0]}`] : [];
}
