import { usageError } from '../core/errors.js';
import type { EpochEvent, OnProgress } from '../core/events.js';
import { VERSION } from '../core/version.js';
import { clipKey } from '../eval/datasets/clips.js';
import { forecastBases, forecastScores, headlineLeads, loadForecastData, type ForecastScores } from '../eval/forecast-data.js';
import { readoutFeatures, forecastsByClip } from '../eval/readout-features.js';
import { saveForecaster, type ForecastAnchor, type ForecastHead, type ReadoutFeatures } from '../heads/forecast/forecaster.js';
import { READOUT_DEFAULTS, READOUT_LR } from './defaults.js';
import { fitForecast } from './forecast.js';
import { fitPointForecast } from './point-forecast.js';

export interface TrainForecastOptions {
  db: string;
  dataset: string;
  model?: string;
  out?: string;
  head: ForecastHead;
  anchor: ForecastAnchor;
  features: ReadoutFeatures;
  leads?: number[];
  epochs?: number;
  lr?: number;
  seed?: number;
  onProgress?: OnProgress;
  onEpoch?: (e: EpochEvent) => void;
}

export interface ForecastTrainSummary {
  out: string | null;
  head: ForecastHead;
  anchor: ForecastAnchor;
  leads: number[];
  backend: string;
  bestEpoch: number;
  epochs: number;
  /** Validation headline RMSE at the kept epoch. */
  valRmse: number;
  test: ForecastScores;
  domains: Record<string, { n: number; metrics: ForecastScores }>;
}

/**
 * `vidlens train forecast`: fits a forecast readout on the frozen per-frame features of the dataset's
 * train clips (validation headline for early stopping), saves it with `out`, and scores the test clips
 * beside persistence, constant velocity and the training mean, overall and per domain.
 */
export async function trainForecast(o: TrainForecastOptions): Promise<ForecastTrainSummary> {
  const d = await loadForecastData(o.dataset);
  const [train, val, test] = ['train', 'val', 'test'].map(d.split);
  if (!train.length || !val.length || !test.length) throw usageError(`--dataset ${o.dataset}: needs clips with "split": "train", "val" and "test" (found ${train.length}/${val.length}/${test.length})`);
  const leads = headlineLeads(d, o.leads);
  const bases = forecastBases(d, o.anchor, o.dataset);
  const all = d.values.map((_, i) => i);
  if (o.head === 'point' && (o.anchor !== 'last' || o.features !== 'tokens' || d.valueSize !== 2)) {
    throw usageError(`--head point: forecasts a position (values [x, y]) from patch tokens, anchored on the last observed one; pass --features tokens --anchor last${d.valueSize !== 2 ? ` (--dataset ${o.dataset} has values of size ${d.valueSize})` : ''}`);
  }
  const { x, frames, steps, dim, grid, model } = await readoutFeatures(d.data.clips, d.data.path, o);
  const input = {
    frames: x, clips: all.length, steps, dim, targets: Float32Array.from(d.values.flat(2)), bases,
    leadSteps: d.leadSteps, valueSize: d.valueSize, leads, train, val, epochs: o.epochs, lr: o.lr, seed: o.seed, onEpoch: o.onEpoch,
  };
  const fit = o.head === 'point' ? await fitPointForecast({ ...input, tokenFrames: frames, grid }) : await fitForecast({ ...input, head: o.head });
  if (o.out) {
    await saveForecaster(o.out, {
      kind: 'forecaster', head: o.head, vidlens: VERSION, created: new Date().toISOString(), model: { id: model.id, sha256: model.sha256, dim: model.dim },
      anchor: o.anchor, features: o.features, inputDim: dim, leadSteps: d.leadSteps, valueSize: d.valueSize, leads, steps, ...(o.head === 'point' ? { frames, grid } : {}),
      config: { epochs: o.epochs ?? READOUT_DEFAULTS.epochs, lr: o.lr ?? READOUT_LR, weightDecay: READOUT_DEFAULTS.weightDecay, optimizer: 'adamw, 5 % linear warmup, cosine decay', loss: 'L2 on the scaled deviation', seed: o.seed ?? 0, backend: fit.backend },
      dataset: { path: d.data.path, sha256: d.data.sha256, train: train.length, val: val.length, trainClips: train.map((i) => clipKey(d.data.clips[i])) },
      validation: { metric: `headline RMSE over lead steps ${leads.join(', ')}, validation split (lower is better)`, best: fit.valRmse, bestEpoch: fit.bestEpoch },
    }, fit.weights, fit.standard, fit.target);
  }
  const scored = forecastScores(d, test, forecastsByClip(d, all, fit.predictions), leads);
  return { out: o.out ?? null, head: o.head, anchor: o.anchor, leads, backend: fit.backend, bestEpoch: fit.bestEpoch, epochs: fit.epochs, valRmse: fit.valRmse, test: scored.metrics, domains: scored.domains };
}
