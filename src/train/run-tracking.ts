import { usageError } from '../core/errors.js';
import type { EpochEvent, OnProgress } from '../core/events.js';
import { VERSION } from '../core/version.js';
import { clipKey } from '../eval/datasets/clips.js';
import { trackingMetrics } from '../eval/metrics/tracking.js';
import { readoutFeatures } from '../eval/readout-features.js';
import { loadTrackingData, trackingScores, type TrackingScores } from '../eval/tracking-data.js';
import { saveTracker } from '../heads/point/tracker.js';
import { READOUT_DEFAULTS, READOUT_LR } from './defaults.js';
import { fitTracking } from './tracking.js';
import { predictTracks } from '../heads/point/track.js';

export interface TrainTrackingOptions {
  db: string;
  dataset: string;
  model?: string;
  out?: string;
  epochs?: number;
  lr?: number;
  seed?: number;
  onProgress?: OnProgress;
  onEpoch?: (e: EpochEvent) => void;
}

export interface TrackingTrainSummary {
  out: string | null;
  backend: string;
  bestEpoch: number;
  epochs: number;
  /** Validation STIR average (%) at the kept epoch. */
  valAverage: number;
  test: TrackingScores;
  domains: Record<string, { n: number; metrics: TrackingScores }>;
}

/**
 * `vidlens train tracking`: fits the point tracker on the patch tokens of the dataset's train clips
 * (validation STIR average for early stopping), saves it with `out`, and scores the test clips beside
 * the query-point control, overall and per domain.
 */
export async function trainTracking(o: TrainTrackingOptions): Promise<TrackingTrainSummary> {
  const d = await loadTrackingData(o.dataset);
  const [train, val, test] = ['train', 'val', 'test'].map(d.split);
  if (!train.length || !val.length || !test.length) throw usageError(`--dataset ${o.dataset}: needs clips with "split": "train", "val" and "test" (found ${train.length}/${val.length}/${test.length})`);
  const f = await readoutFeatures(d.data.clips, d.data.path, { ...o, features: 'tokens' });
  const shape = { frames: f.frames, grid: f.grid, width: f.dim };
  const fit = await fitTracking({
    tokens: f.x, ...shape, queries: d.queries, endpoints: d.endpoints, valid: d.valid, train, val, epochs: o.epochs, lr: o.lr, seed: o.seed, onEpoch: o.onEpoch,
    validate: (predicted) => trackingMetrics(val.map((i, k) => ({ points: predicted[k], endpoints: d.endpoints[i], valid: d.valid[i] }))).average,
  });
  try {
    if (o.out) {
      await saveTracker(o.out, {
        kind: 'tracker', vidlens: VERSION, created: new Date().toISOString(), model: { id: f.model.id, sha256: f.model.sha256, dim: f.model.dim }, ...shape,
        config: { epochs: o.epochs ?? READOUT_DEFAULTS.epochs, lr: o.lr ?? READOUT_LR, weightDecay: READOUT_DEFAULTS.weightDecay, optimizer: 'adamw, 5 % linear warmup, cosine decay', loss: 'Huber (δ 0.05) on visible end points', seed: o.seed ?? 0, backend: fit.backend },
        dataset: { path: d.data.path, sha256: d.data.sha256, train: train.length, val: val.length, trainClips: train.map((i) => clipKey(d.data.clips[i])) },
        validation: { metric: 'STIR average accuracy (%), validation split', best: fit.valScore, bestEpoch: fit.bestEpoch },
      }, fit.weights, fit.standard);
    }
    const predicted: Array<Array<[number, number]> | null> = d.queries.map(() => null);
    predictTracks(fit.net, fit.standardised, test, d.queries, shape).forEach((p, k) => (predicted[test[k]] = p));
    const scored = trackingScores(d, test, predicted);
    return { out: o.out ?? null, backend: fit.backend, bestEpoch: fit.bestEpoch, epochs: fit.epochs, valAverage: fit.valScore, test: scored.metrics, domains: scored.domains };
  } finally {
    fit.net.dispose();
  }
}
