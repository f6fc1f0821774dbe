import { z } from 'zod';
import { inputError } from '../../core/errors.js';
import { readJsonLinesById } from '../../util/jsonl.js';
import type { ForecastPair } from '../metrics/forecast.js';
import { pairById, pairingNotes, requireAllPredicted } from './paired.js';

/** One value per step: numbers, or vectors of one common size (`[[x, y], …]`). */
const values = z.union([z.array(z.number()).min(1), z.array(z.array(z.number()).min(1)).min(1)]).refine((v) => v.every((step) => (Array.isArray(step) ? step.length : 1) === (Array.isArray(v[0]) ? v[0].length : 1)), {
  message: 'every step needs a value of the same size',
});
const schema = z.object({ id: z.union([z.string(), z.number()]), values });

const asVectors = (v: z.output<typeof values>): number[][] => v.map((step) => (Array.isArray(step) ? step : [step]));

/**
 * Reads forecasts and their truth (`{"id", "values": [v₀, v₁, …]}` each, one value per lead step,
 * numbers or equal-sized vectors) and pairs them. Every ground-truth id needs a forecast of the same
 * number of steps and value size, and every forecast the steps of the first: anything else is an input
 * error naming the file, line and id.
 */
export async function loadForecasts(files: { pred: string; gt: string }): Promise<{ pairs: ForecastPair[]; warnings: string[] }> {
  const [truth, predictions] = await Promise.all([readJsonLinesById(files.gt, schema), readJsonLinesById(files.pred, schema)]);
  const paired = pairById(truth, predictions);
  requireAllPredicted(paired, files);
  const first = asVectors(paired.pairs[0].truth.values);
  const [steps, size] = [first.length, first[0].length];
  const pairs = paired.pairs.map(({ id, truth: t, pred }) => {
    const y = asVectors(t.values);
    const p = asVectors(pred!.values);
    const line = `${files.gt}:${truth.get(id)!.line}`;
    if (y.length !== steps) throw inputError(`${line}: id ${id} has ${y.length} steps, the first record ${steps} (every forecast needs the same lead steps)`);
    if (y[0].length !== size) throw inputError(`${line}: id ${id} has values of size ${y[0].length}, the first record ${size}`);
    if (p.length !== steps) throw inputError(`${files.pred}:${predictions.get(id)!.line}: id ${id} forecasts ${p.length} steps, its truth has ${steps}`);
    if (p[0].length !== y[0].length) throw inputError(`${files.pred}:${predictions.get(id)!.line}: id ${id} predicts values of size ${p[0].length}, its truth has size ${y[0].length}`);
    return { pred: p, truth: y };
  });
  return { pairs, warnings: pairingNotes(paired, files, '') };
}
