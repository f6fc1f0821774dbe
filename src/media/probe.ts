import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { mediaBinaries } from './binaries.js';
import { lastErrorLine, runProgram } from './spawn.js';

/** What vidlens needs to know about a video before sampling it. Dimensions are as displayed (after rotation). */
export interface VideoInfo {
  path: string;
  size: number;
  mtimeMs: number;
  duration: number;
  fps: number;
  width: number;
  height: number;
  rotation: number;
  codec: string;
}

const streamSchema = z.object({
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  avg_frame_rate: z.string().optional(),
  r_frame_rate: z.string().optional(),
  duration: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(z.object({ rotation: z.number().optional() }).loose()).optional(),
  disposition: z.object({ attached_pic: z.number().optional() }).loose().optional(),
});

const probeSchema = z.object({
  streams: z.array(streamSchema.loose()).default([]),
  format: z.object({ duration: z.string().optional(), format_name: z.string().optional() }).loose().optional(),
});

type Stream = z.infer<typeof streamSchema>;

function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [num, den] = rate.split('/').map(Number);
  if (!num || !den || !Number.isFinite(num / den)) return 0;
  return num / den;
}

function positive(value: string | undefined): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function rotationOf(stream: Stream): number {
  const fromSideData = stream.side_data_list?.find((d) => d.rotation !== undefined)?.rotation;
  const raw = fromSideData ?? Number(stream.tags?.rotate ?? 0);
  return ((Math.round(raw) % 360) + 360) % 360;
}

/** Containers without a duration (some WebM) need the last video packet's end time. */
async function durationFromPackets(path: string): Promise<number> {
  const { ffprobe } = mediaBinaries();
  const result = await runProgram(ffprobe, [
    '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,duration_time',
    '-of', 'csv=p=0', path,
  ]);
  let end = 0;
  for (const line of result.stdout.toString('utf8').split('\n')) {
    const [pts, dur] = line.split(',').map(Number);
    if (Number.isFinite(pts)) end = Math.max(end, pts + (Number.isFinite(dur) ? dur : 0));
  }
  return end;
}

/**
 * Probes a file with ffprobe. Throws an input error naming the file when it is empty,
 * unreadable, not a video, or has no video stream.
 */
export async function probeVideo(path: string): Promise<VideoInfo> {
  let stats;
  try {
    stats = await stat(path);
  } catch (error) {
    throw inputError(`${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  if (!stats.isFile()) throw inputError(`${path}: not a regular file`);
  if (stats.size === 0) throw inputError(`${path}: the file is empty (0 bytes)`);

  const { ffprobe } = mediaBinaries();
  const result = await runProgram(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path]);
  let parsed: z.infer<typeof probeSchema> | undefined;
  try {
    parsed = probeSchema.parse(JSON.parse(result.stdout.toString('utf8') || '{}'));
  } catch {
    parsed = undefined;
  }
  if (result.code !== 0 || !parsed) {
    throw inputError(`${path}: not a readable video (ffprobe: ${lastErrorLine(result.stderr, path)})`);
  }
  const video = parsed.streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video) {
    const kinds = [...new Set(parsed.streams.map((s) => s.codec_type ?? 'unknown'))];
    throw inputError(`${path}: no video stream (found ${kinds.length ? kinds.join(', ') : 'no streams'})`);
  }
  const rawWidth = video.width ?? 0;
  const rawHeight = video.height ?? 0;
  if (rawWidth <= 0 || rawHeight <= 0) throw inputError(`${path}: the video stream has no frame size`);

  let duration = positive(video.duration) || positive(parsed.format?.duration);
  if (duration === 0) duration = await durationFromPackets(path);
  if (duration === 0) throw inputError(`${path}: cannot determine the video's duration (no timed video packets)`);

  const rotation = rotationOf(video);
  const sideways = rotation === 90 || rotation === 270;
  return {
    path,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    duration,
    fps: parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate),
    width: sideways ? rawHeight : rawWidth,
    height: sideways ? rawWidth : rawHeight,
    rotation,
    codec: video.codec_name ?? 'unknown',
  };
}
