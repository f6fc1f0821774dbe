import { z } from 'zod';
import { inputError } from '../../core/errors.js';
import { readJsonLinesById } from '../../util/jsonl.js';
import type { Point, TrackingSample } from '../metrics/tracking.js';
import { pairById, pairingNotes, type Paired } from './paired.js';

const id = z.union([z.string(), z.number()]);
const unitPoint = z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]);
const anyPoint = z.tuple([z.number(), z.number()]);

const truthSchema = z
  .object({ id, endpoints: z.array(unitPoint).min(1), valid: z.array(z.boolean()).optional() })
  .refine((t) => t.valid === undefined || t.valid.length === t.endpoints.length, { message: '"valid" needs one entry per end point' });
const predictionSchema = z.object({ id, points: z.array(anyPoint) });

type Truth = z.output<typeof truthSchema>;
type Prediction = z.output<typeof predictionSchema>;

/**
 * Reads tracking ground truth (`{"id", "endpoints": [[x, y], …], "valid"?: [bool, …]}`, coordinates in
 * [0, 1]; all end points valid when `valid` is left out) and predictions (`{"id", "points": [[x, y], …]}`,
 * one per query point) and pairs them. A clip without predictions has one query point per track, all
 * missed (STIR queries every track once); the warnings say so.
 */
export async function loadTracking(files: { pred: string; gt: string }): Promise<{ samples: TrackingSample[]; warnings: string[] }> {
  const [truth, predictions] = await Promise.all([readJsonLinesById(files.gt, truthSchema), readJsonLinesById(files.pred, predictionSchema)]);
  const paired: Paired<Truth, Prediction> = pairById(truth, predictions);
  const samples = paired.pairs.map(({ truth: t, pred }) => ({
    points: pred ? (pred.points as Point[]) : t.endpoints.map(() => null),
    endpoints: t.endpoints as Point[],
    valid: t.valid ?? t.endpoints.map(() => true),
  }));
  if (!samples.some((s) => s.points.length)) throw inputError(`--pred ${files.pred}: no predicted points to score`);
  return { samples, warnings: pairingNotes(paired, files, 'each of their tracks counts as missed') };
}
