import { usageError } from '../core/errors.js';
import type { OnProgress } from '../core/events.js';
import { assertTrainedOn } from '../heads/trained-on.js';
import { forecast, loadForecaster } from '../heads/forecast/forecaster.js';
import { forecastBases, forecastScores, headlineLeads, loadForecastData } from './forecast-data.js';
import { readoutFeatures, forecastsByClip } from './readout-features.js';
import { persistence } from './forecast-controls.js';
import { reportHeader } from './report/header.js';
import type { ForecastReport } from './report/types.js';
import { trainingOverlapWarning } from './training-overlap.js';

export interface EvalForecastOptions {
  db: string;
  dataset: string;
  /** A forecaster (`train forecast --out`); without one only the controls are scored. */
  adapter?: string;
  split?: string;
  leads?: number[];
  model?: string;
  onProgress?: OnProgress;
}

export const FORECAST_DEFINITIONS = {
  'forecast.*.rmse': 'Per lead step t (0-indexed), sqrt of the mean over clips of the squared error (squared Euclidean distance for vector values), in the series’ units; lower is better (SciVid, scivid/metrics/regression.py).',
  'forecast.*.headline': 'Mean of the per-step RMSE over the headline lead steps (config.leads): SciVid’s 0, 1, 2, 5, 11 for a 12-step forecast, every step for a shorter one unless --leads says otherwise.',
  'forecast.readout': 'The trained forecaster: its output added to the last observed value (anchor last) or to the training mean (anchor mean).',
  'forecast.persistence': 'Control: the last observed value of each clip’s history at every lead step.',
  'forecast.constant_velocity': 'Control: a least-squares line through the observed history, continued.',
  'forecast.training_mean': 'Control: the mean of each lead step’s value over the dataset’s train clips.',
};

/**
 * `vidlens eval forecast`: scores a trained forecaster (if any) on the dataset's clips (or one split)
 * beside the controls, overall and per domain.
 */
export async function evalForecast(o: EvalForecastOptions): Promise<ForecastReport> {
  const d = await loadForecastData(o.dataset);
  const idx = o.split ? d.split(o.split) : d.values.map((_, i) => i);
  if (!idx.length) throw usageError(`--split ${o.split}: no clip of ${o.dataset} has "split": "${o.split}"`);
  const leads = headlineLeads(d, o.leads);
  const saved = o.adapter ? await loadForecaster(o.adapter) : undefined;
  if (saved && (saved.meta.leadSteps !== d.leadSteps || saved.meta.valueSize !== d.valueSize)) {
    throw usageError(`--adapter ${o.adapter}: forecasts ${saved.meta.leadSteps} steps of size ${saved.meta.valueSize}, but --dataset ${o.dataset} has ${d.leadSteps} of size ${d.valueSize}`);
  }
  const { x, steps, spans, embedded, model, sampling } = await readoutFeatures(idx.map((i) => d.data.clips[i]), d.data.path, { ...o, features: saved?.meta.features ?? 'none' });
  let readout: Array<number[][] | null> | null = null;
  if (saved) {
    assertTrainedOn('--adapter', o.adapter!, saved.meta.model, model, 'vidlens train forecast');
    const bases = forecastBases(d, saved.meta.anchor, o.dataset);
    const per = d.leadSteps * d.valueSize;
    const picked = new Float32Array(idx.length * per);
    idx.forEach((i, k) => picked.set(bases.subarray(i * per, (i + 1) * per), k * per));
    readout = forecastsByClip(d, idx, await forecast(saved, x, steps, picked));
  }
  const { metrics, domains } = forecastScores(d, idx, readout, leads);
  const clips = idx.map((i) => d.data.clips[i]);
  const overlap = saved ? trainingOverlapWarning('--adapter', o.adapter!, saved.meta.dataset, clips, d.data.sha256) : undefined;
  return {
    kind: 'forecast',
    ...reportHeader({
      model: { id: model.id, sha256: model.sha256, dim: model.dim },
      dataset: { path: d.data.path, sha256: d.data.sha256, n: idx.length, format: 'jsonl' },
      config: { db: o.db, split: o.split ?? null, leads, leadSteps: d.leadSteps, valueSize: d.valueSize, sampling, clipsEmbedded: embedded },
      definitions: FORECAST_DEFINITIONS,
      adapter: saved ? { path: o.adapter, head: saved.meta.head, anchor: saved.meta.anchor, features: saved.meta.features, validation: saved.meta.validation } : null,
      warnings: [...d.data.warnings, ...(overlap ? [overlap] : [])],
    }),
    metrics: { forecast: metrics },
    domains: Object.fromEntries(Object.entries(domains).map(([name, s]) => [name, { n: s.n, metrics: { forecast: s.metrics } }])),
    details: idx.map((i, k) => ({
      id: d.ids[i], video: d.data.clips[i].video, span: spans[k], domain: d.data.clips[i].domain, values: d.values[i],
      forecast: readout?.[i] ?? null, persistence: d.histories[i] && persistence(d.histories[i]!, d.leadSteps),
    })),
  };
}
