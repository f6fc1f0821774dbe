import { z } from 'zod';
import { readHeadFolder, writeHeadFolder, type HeadKind } from '../folder.js';
import type { HeadSpec, HeadWeights } from '../spec.js';
import { initTf, tf } from '../tf.js';
import { readoutSpec, ReadoutNet } from '../readout/readout-net.js';
import { applyStandard, type Standardisation } from '../readout/standardise.js';
import { bestValidationSchema, headMetaSchema } from '../trained-on.js';
import { pointSpec } from '../point/point-net.js';
import { pointForecast } from '../point/forecast.js';

/**
 * What the forecast is added to (REFERENCES §5): `mean` — SciVid's Digital Typhoon head, the training
 * mean of each output; `last` — the last observed value of the series plus the training mean of the
 * deviation from it, so the head learns how the series moves on from where it is (persistence at step 0).
 */
export const FORECAST_ANCHORS = ['last', 'mean'] as const;
export type ForecastAnchor = (typeof FORECAST_ANCHORS)[number];

/** What a readout reads: per-frame pooled vectors, or every frame's patch tokens (dense features). */
export const READOUT_FEATURES = ['pooled', 'tokens'] as const;
export type ReadoutFeatures = (typeof READOUT_FEATURES)[number];

/** SciVid's readouts (`mean`, `attentive`, on pooled vectors or tokens) and the correlation readout on tokens (`point`). */
export const FORECAST_HEADS = ['mean', 'attentive', 'point'] as const;
export type ForecastHead = (typeof FORECAST_HEADS)[number];

/** A trained forecaster on frozen features (`train forecast --out DIR`), for `eval forecast --adapter DIR`. */
export const forecasterMetaSchema = headMetaSchema.extend({
  kind: z.literal('forecaster'),
  head: z.enum(FORECAST_HEADS),
  anchor: z.enum(FORECAST_ANCHORS),
  features: z.enum(READOUT_FEATURES),
  /** Width of the features read (the model's `dim` for pooled vectors, the tower's width for tokens). */
  inputDim: z.number().int().positive(),
  /** Lead steps forecast, and the size of each step's value (2 for a position). */
  leadSteps: z.number().int().positive(),
  valueSize: z.number().int().positive(),
  /** 0-indexed lead steps of the validation headline. */
  leads: z.array(z.number().int().nonnegative()).min(1),
  /** Feature vectors per clip: frames, or frames × tokens. */
  steps: z.number().int().positive(),
  /** `point`: frames per clip and patches per side of the tokens. */
  frames: z.number().int().positive().optional(),
  grid: z.number().int().positive().optional(),
  validation: bestValidationSchema,
});

export type ForecasterMeta = z.infer<typeof forecasterMetaSchema>;

export interface SavedForecaster {
  meta: ForecasterMeta;
  weights: HeadWeights;
}

export function forecasterSpec(m: ForecasterMeta): HeadSpec {
  const outputs = m.leadSteps * m.valueSize;
  const standard: HeadSpec = [
    { name: 'standard.mean', shape: [m.inputDim], init: 'zeros' },
    { name: 'standard.scale', shape: [m.inputDim], init: 'ones' },
  ];
  if (m.head === 'point') return [...pointSpec(m.inputDim, { frames: m.frames ?? 1, leadSteps: m.leadSteps, valueSize: m.valueSize }), ...standard];
  return [
    ...readoutSpec(m.head, m.steps, m.inputDim, outputs),
    ...standard,
    { name: 'target.offset', shape: [outputs], init: 'zeros' },
    { name: 'target.scale', shape: [outputs], init: 'ones' },
  ];
}

export const FORECASTER_HEAD: HeadKind<ForecasterMeta> = {
  kind: 'forecaster',
  what: 'a forecaster',
  command: 'vidlens train forecast --out DIR',
  meta: forecasterMetaSchema,
  spec: forecasterSpec,
};

/** How a forecaster's raw outputs become values: `base + offset + scale · output` per output. */
export interface TargetScaling {
  offset: Float32Array;
  scale: Float32Array;
}

export async function saveForecaster(dir: string, meta: ForecasterMeta, weights: HeadWeights, standard: Standardisation, target?: TargetScaling): Promise<void> {
  const scaling: HeadWeights = target ? { 'target.offset': target.offset, 'target.scale': target.scale } : {};
  await writeHeadFolder(dir, FORECASTER_HEAD, meta, { ...weights, 'standard.mean': standard.mean, 'standard.scale': standard.scale, ...scaling });
}

export async function loadForecaster(dir: string, flag = '--adapter'): Promise<SavedForecaster> {
  const { meta, weights } = await readHeadFolder(flag, dir, FORECASTER_HEAD);
  return { meta, weights };
}

/** Adds scaled raw outputs to their bases: `clips × outputs`. */
export function scaleOutputs(raw: Float32Array, bases: Float32Array, target: TargetScaling): Float32Array {
  const outputs = target.offset.length;
  return Float32Array.from(raw, (v, k) => bases[k] + target.offset[k % outputs] + target.scale[k % outputs] * v);
}

/**
 * Forecasts `clips × leadSteps × valueSize` from features `clips × steps × inputDim` (as trained: pooled or tokens) and each
 * clip's bases (its last observed value repeated per lead for anchor `last`; zeros for `mean`).
 */
export async function forecast(saved: SavedForecaster, frames: Float32Array, steps: number, bases: Float32Array): Promise<Float32Array> {
  await initTf();
  const { meta, weights: w } = saved;
  const dim = meta.inputDim;
  const clips = frames.length / (steps * dim);
  const standard = { mean: w['standard.mean'], scale: w['standard.scale'] };
  if (meta.head === 'point') return pointForecast(saved, applyStandard(frames, standard, dim), bases);
  const net = new ReadoutNet(meta.head, meta.steps, dim, meta.leadSteps * meta.valueSize, 0, w);
  try {
    const x = applyStandard(frames, standard, dim);
    const raw = tf.tidy(() => net.forward(tf.tensor3d(x, [clips, steps, dim])).dataSync() as Float32Array).slice();
    return scaleOutputs(raw, bases, { offset: w['target.offset'], scale: w['target.scale'] });
  } finally {
    net.dispose();
  }
}
