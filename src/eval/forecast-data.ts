import { usageError } from '../core/errors.js';
import type { ForecastAnchor } from '../heads/forecast/forecaster.js';
import { asVector, forecastFields, loadTaskClips } from './datasets/task-clips.js';
import type { ClipDataset } from './datasets/clips.js';
import { constantVelocity, lastObserved, persistence, trainingMean } from './forecast-controls.js';
import { forecastMetrics, SCIVID_LEADS, type ForecastMetrics } from './metrics/forecast.js';
import { sliceBy } from './metrics/slices.js';

/** A forecast dataset: clips, each with the values to forecast and (optionally) the series observed before them. */
export interface ForecastData {
  data: ClipDataset;
  ids: string[];
  /** Per clip, per lead step, the value (a vector). */
  values: number[][][];
  /** Per clip, the observed series (null where unobserved), or null when the clip gives none. */
  histories: Array<Array<number[] | null> | null>;
  leadSteps: number;
  valueSize: number;
  split: (name: string) => number[];
}

/** Reads a forecast clips file (`vidlens synth` writes `forecast.jsonl`); every clip needs the first clip's lead steps and value size. */
export async function loadForecastData(path: string): Promise<ForecastData> {
  const { data, records, ids } = await loadTaskClips(path, forecastFields, ['history', 'values']);
  const values = records.map((r) => r.values.map(asVector));
  const [leadSteps, valueSize] = [values[0].length, values[0][0].length];
  values.forEach((v, i) => {
    if (v.length !== leadSteps || v[0].length !== valueSize) {
      throw usageError(`--dataset ${path}:${data.clips[i].line}: ${v.length} lead steps of size ${v[0].length}, the first clip ${leadSteps} of size ${valueSize} (every clip needs the same)`);
    }
  });
  const histories = records.map((r) => r.history?.map((h) => (h === null ? null : asVector(h))) ?? null);
  const split = (name: string) => data.clips.flatMap((c, i) => (c.split === name ? [i] : []));
  return { data, ids, values, histories, leadSteps, valueSize, split };
}

/** The headline's lead steps: `--leads` if given (each below the forecast's length), else SciVid's for a 12-step forecast, else every step. */
export function headlineLeads(d: ForecastData, leads: number[] | undefined): number[] {
  if (leads) {
    const beyond = leads.filter((l) => l >= d.leadSteps);
    if (beyond.length) throw usageError(`--leads ${leads.join(',')}: step ${beyond.join(', ')} is beyond the dataset's ${d.leadSteps} lead steps (0–${d.leadSteps - 1})`);
    return leads;
  }
  return d.leadSteps >= 12 ? [...SCIVID_LEADS] : Array.from({ length: d.leadSteps }, (_, t) => t);
}

/** What each clip's forecast is added to, `clips × leadSteps × valueSize`: its last observed value (anchor `last`) or zeros. */
export function forecastBases(d: ForecastData, anchor: ForecastAnchor, path: string): Float32Array {
  const out = new Float32Array(d.values.length * d.leadSteps * d.valueSize);
  if (anchor === 'mean') return out;
  d.histories.forEach((h, i) => {
    const last = h && lastObserved(h);
    if (!last) throw usageError(`--dataset ${path}:${d.data.clips[i].line}: no observed "history" to anchor on; give each clip its series, or pass --anchor mean`);
    for (let t = 0; t < d.leadSteps; t++) out.set(last.value, (i * d.leadSteps + t) * d.valueSize);
  });
  return out;
}

/** The forecast's scores beside its controls; a control is null where some clip lacks what it needs (a history; train clips). */
export interface ForecastScores {
  readout: ForecastMetrics | null;
  persistence: ForecastMetrics | null;
  constant_velocity: ForecastMetrics | null;
  training_mean: ForecastMetrics | null;
}

type Forecasts = Array<number[][] | null>;

function score(forecasts: Forecasts, d: ForecastData, idx: number[], leads: number[]): ForecastMetrics | null {
  if (idx.some((i) => forecasts[i] === null)) return null;
  return forecastMetrics(idx.map((i) => ({ pred: forecasts[i]!, truth: d.values[i] })), leads);
}

/** Scores the readout's forecasts (per clip, or none) and the controls on `idx`, overall and per domain. */
export function forecastScores(d: ForecastData, idx: number[], readout: Forecasts | null, leads: number[]) {
  const train = d.split('train');
  const mean = train.length ? trainingMean(d.values, train) : null;
  const methods: Record<keyof ForecastScores, Forecasts | null> = {
    readout,
    persistence: d.histories.map((h) => h && persistence(h, d.leadSteps)),
    constant_velocity: d.histories.map((h) => h && constantVelocity(h, d.leadSteps)),
    training_mean: mean && d.values.map(() => mean),
  };
  const all = (on: number[]): ForecastScores => {
    const out = {} as ForecastScores;
    for (const [name, f] of Object.entries(methods) as Array<[keyof ForecastScores, Forecasts | null]>) out[name] = f && score(f, d, on, leads);
    return out;
  };
  const domains: Record<string, { n: number; metrics: ForecastScores }> = {};
  for (const [name, k] of sliceBy(idx.map((i) => d.data.clips[i]), (c) => c.domain || '(none)')) domains[name] = { n: k.length, metrics: all(k.map((j) => idx[j])) };
  return { metrics: all(idx), domains };
}
