import { usageError } from '../core/errors.js';
import type { OnProgress } from '../core/events.js';
import { initTf } from '../heads/tf.js';
import { applyStandard } from '../heads/readout/standardise.js';
import { PointNet } from '../heads/point/point-net.js';
import { loadTracker } from '../heads/point/tracker.js';
import { assertTrainedOn } from '../heads/trained-on.js';
import { predictTracks } from '../heads/point/track.js';
import { readoutFeatures } from './readout-features.js';
import { reportHeader } from './report/header.js';
import type { TrackingReport } from './report/types.js';
import { loadTrackingData, trackingScores } from './tracking-data.js';
import { nearestEndpointDistances, STIR_FRAME } from './metrics/tracking.js';
import { trainingOverlapWarning } from './training-overlap.js';

export interface EvalTrackingOptions {
  db: string;
  dataset: string;
  /** A tracker (`train tracking --out`); without one only the query-point control is scored. */
  adapter?: string;
  split?: string;
  model?: string;
  onProgress?: OnProgress;
}

export const TRACKING_DEFINITIONS = {
  'tracking.*.acc': `Share (%) of query points whose predicted last-frame position lies within τ px of the nearest valid ground-truth end point of its clip, τ ∈ {4, 8, 16, 32, 64}, coordinates scaled to ${STIR_FRAME.width} × ${STIR_FRAME.height} px and rounded half to even; pooled over the dataset (SciVid's STIR metric, scivid/metrics/point_tracking.py). Higher is better.`,
  'tracking.*.average': 'Mean of the five accuracies: the headline.',
  'tracking.readout': 'The trained tracker: the query point plus how its attended position moved from the first to the last frame.',
  'tracking.query_point': 'Control: the query point itself (nothing moves).',
};

/** `vidlens eval tracking`: a trained tracker's STIR scores on the dataset's clips (or one split) beside the query-point control. */
export async function evalTracking(o: EvalTrackingOptions): Promise<TrackingReport> {
  const d = await loadTrackingData(o.dataset);
  const idx = o.split ? d.split(o.split) : d.queries.map((_, i) => i);
  if (!idx.length) throw usageError(`--split ${o.split}: no clip of ${o.dataset} has "split": "${o.split}"`);
  const saved = o.adapter ? await loadTracker(o.adapter) : undefined;
  const clips = idx.map((i) => d.data.clips[i]);
  const f = await readoutFeatures(clips, d.data.path, { ...o, features: saved ? 'tokens' : 'none' });
  let predicted: Array<Array<[number, number]> | null> | null = null;
  if (saved) {
    assertTrainedOn('--adapter', o.adapter!, saved.meta.model, f.model, 'vidlens train tracking');
    if (saved.meta.grid !== f.grid || saved.meta.width !== f.dim) throw usageError(`--adapter ${o.adapter}: reads ${saved.meta.grid}×${saved.meta.grid} tokens of width ${saved.meta.width}, the model gives ${f.grid}×${f.grid} of width ${f.dim}`);
    await initTf();
    const net = new PointNet(saved.meta.width, saved.meta.grid, undefined, 0, saved.weights);
    try {
      const x = applyStandard(f.x, { mean: saved.weights['standard.mean'], scale: saved.weights['standard.scale'] }, f.dim);
      const tracks = predictTracks(net, x, idx.map((_, k) => k), idx.map((i) => d.queries[i]), { frames: f.frames, grid: f.grid, width: f.dim });
      predicted = d.queries.map(() => null);
      idx.forEach((i, k) => (predicted![i] = tracks[k]));
    } finally {
      net.dispose();
    }
  }
  const { metrics, domains } = trackingScores(d, idx, predicted);
  const overlap = saved ? trainingOverlapWarning('--adapter', o.adapter!, saved.meta.dataset, clips, d.data.sha256) : undefined;
  const distance = (points: Array<[number, number]>, i: number) => nearestEndpointDistances({ points, endpoints: d.endpoints[i], valid: d.valid[i] });
  return {
    kind: 'tracking',
    ...reportHeader({
      model: { id: f.model.id, sha256: f.model.sha256, dim: f.model.dim },
      dataset: { path: d.data.path, sha256: d.data.sha256, n: idx.length, format: 'jsonl' },
      config: { db: o.db, split: o.split ?? null, frames: f.frames, sampling: f.sampling, stirFrame: STIR_FRAME, clipsEmbedded: f.embedded },
      definitions: TRACKING_DEFINITIONS,
      adapter: saved ? { path: o.adapter, validation: saved.meta.validation } : null,
      warnings: [...d.data.warnings, ...(overlap ? [overlap] : [])],
    }),
    metrics: { tracking: metrics },
    domains: Object.fromEntries(Object.entries(domains).map(([name, s]) => [name, { n: s.n, metrics: { tracking: s.metrics } }])),
    details: idx.map((i, k) => ({
      id: d.ids[i], video: d.data.clips[i].video, span: f.spans[k], domain: d.data.clips[i].domain, queries: d.queries[i], endpoints: d.endpoints[i], valid: d.valid[i],
      predicted: predicted?.[i] ?? null, distances: predicted?.[i] ? distance(predicted[i]!, i) : null, controlDistances: distance(d.queries[i], i),
    })),
  };
}
