import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { inputError } from '../../core/errors.js';
import type { ClipDataset } from './clips.js';
import { readInput } from '../../util/read.js';

/**
 * MSR-VTT 1k-A test split (`key,vid_key,video_id,sentence`, one caption per video) as clips of
 * whole videos `<videosRoot>/<video_id>.mp4`.
 */
export async function loadMsrvtt(path: string, videosRoot: string, options: { limit?: number } = {}): Promise<ClipDataset> {
  const text = await readInput(path, 'utf8');
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  if (rows.length && !('video_id' in rows[0] && 'sentence' in rows[0])) throw inputError(`${path}: expected columns key,vid_key,video_id,sentence`);
  const clips = rows.slice(0, options.limit ?? rows.length).map((r, i) => ({
    video: join(resolve(videosRoot), `${r.video_id}.mp4`),
    captions: [r.sentence],
    labels: [],
    domain: 'msrvtt',
    line: i + 2,
  }));
  return { path: resolve(path), sha256: createHash('sha256').update(text).digest('hex'), clips, warnings: [] };
}
