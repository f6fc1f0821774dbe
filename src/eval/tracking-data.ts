import { loadTaskClips, trackingFields } from './datasets/task-clips.js';
import type { ClipDataset } from './datasets/clips.js';
import { sliceBy } from './metrics/slices.js';
import { trackingMetrics, type TrackingMetrics } from './metrics/tracking.js';

type Point = [number, number];

/** A tracking dataset: clips, each with query points in its first frame and their end points in its last. */
export interface TrackingData {
  data: ClipDataset;
  ids: string[];
  queries: Point[][];
  endpoints: Point[][];
  valid: boolean[][];
  split: (name: string) => number[];
}

/** Reads a tracking clips file (`vidlens synth` writes `tracking.jsonl`). */
export async function loadTrackingData(path: string): Promise<TrackingData> {
  const { data, records, ids } = await loadTaskClips(path, trackingFields, ['queries', 'endpoints', 'valid']);
  return {
    data, ids,
    queries: records.map((r) => r.queries as Point[]),
    endpoints: records.map((r) => r.endpoints as Point[]),
    valid: records.map((r) => r.valid ?? r.endpoints.map(() => true)),
    split: (name) => data.clips.flatMap((c, i) => (c.split === name ? [i] : [])),
  };
}

/** The tracker's STIR scores beside the query-point control (null without a tracker). */
export interface TrackingScores {
  readout: TrackingMetrics | null;
  query_point: TrackingMetrics;
}

/** Scores predicted end points (per clip, or none) and the query-point control on `idx`, overall and per domain. */
export function trackingScores(d: TrackingData, idx: number[], predicted: Array<Point[] | null> | null) {
  const samples = (points: (i: number) => Point[]) => (on: number[]) => trackingMetrics(on.map((i) => ({ points: points(i), endpoints: d.endpoints[i], valid: d.valid[i] })));
  const readout = predicted && samples((i) => predicted[i] ?? []);
  const control = samples((i) => d.queries[i]);
  const all = (on: number[]): TrackingScores => ({ readout: readout ? readout(on) : null, query_point: control(on) });
  const domains: Record<string, { n: number; metrics: TrackingScores }> = {};
  for (const [name, k] of sliceBy(idx.map((i) => d.data.clips[i]), (c) => c.domain || '(none)')) domains[name] = { n: k.length, metrics: all(k.map((j) => idx[j])) };
  return { metrics: all(idx), domains };
}
