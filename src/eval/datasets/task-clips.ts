import { z } from 'zod';
import { inputError } from '../../core/errors.js';
import { readJsonLines } from '../../util/jsonl.js';
import { loadClipsJsonl, type ClipDataset } from './clips.js';

const unitPoint = z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]);
/** A series value: a number, or a vector of numbers. */
const seriesValue = z.union([z.number(), z.array(z.number()).min(1)]);

/** `train|eval tracking` clips: query points of the first frame, and each one's end point in the last frame. */
export const trackingFields = z
  .object({ queries: z.array(unitPoint).min(1), endpoints: z.array(unitPoint), valid: z.array(z.boolean()).optional() })
  .refine((t) => t.endpoints.length === t.queries.length, { message: '"endpoints" needs one end point per query point' })
  .refine((t) => t.valid === undefined || t.valid.length === t.endpoints.length, { message: '"valid" needs one entry per end point' });

/** `train|eval forecast` clips: the observed series up to the clip's end (null where unobserved) and the values to forecast. */
export const forecastFields = z
  .object({ history: z.array(seriesValue.nullable()).optional(), values: z.array(seriesValue).min(1) })
  .refine((f) => f.values.every((v) => size(v) === size(f.values[0])) && (f.history ?? []).every((v) => v === null || size(v) === size(f.values[0])), {
    message: 'every value of "values" and "history" needs the same size',
  });

function size(v: number | number[]): number {
  return Array.isArray(v) ? v.length : 1;
}

/** A value as a vector (length 1 for a number). */
export const asVector = (v: number | number[]): number[] => (Array.isArray(v) ? v : [v]);

export interface TaskClips<T> {
  data: ClipDataset;
  /** Each clip's task fields, in clip order; `ids[i]` its `id` (or its line number when it has none). */
  records: T[];
  ids: string[];
}

/**
 * A clips file (`loadClipsJsonl`: video, span, domain, split, …) whose lines also carry a task's fields,
 * each checked against `schema`: every invalid line is listed (file:line: reason) in one input error.
 */
export async function loadTaskClips<S extends z.ZodType<object>>(path: string, schema: S, fields: readonly string[]): Promise<TaskClips<z.output<S>>> {
  const data = await loadClipsJsonl(path, { taskFields: [...fields, 'id'] });
  const rows = await readJsonLines(path, z.intersection(schema, z.object({ id: z.union([z.string(), z.number()]).optional() })));
  if (rows.length !== data.clips.length) throw inputError(`${path}: ${data.clips.length} clips but ${rows.length} task records`);
  const ids = rows.map((r) => String((r.value as { id?: string | number }).id ?? `line ${r.line}`));
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const first = seen.get(ids[i]);
    if (first !== undefined) throw inputError(`${path}:${r.line}: id ${ids[i]} appears twice (first on line ${first})`);
    seen.set(ids[i], r.line);
  });
  return { data, records: rows.map((r) => r.value), ids };
}
