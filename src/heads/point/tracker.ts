import { z } from 'zod';
import { readHeadFolder, writeHeadFolder, type HeadKind } from '../folder.js';
import type { HeadSpec, HeadWeights } from '../spec.js';
import type { Standardisation } from '../readout/standardise.js';
import { bestValidationSchema, headMetaSchema } from '../trained-on.js';
import { pointSpec } from './point-net.js';

/** A trained point tracker on frozen patch tokens (`train tracking --out DIR`), for `eval tracking --adapter DIR`. */
export const trackerMetaSchema = headMetaSchema.extend({
  kind: z.literal('tracker'),
  /** The tokens it reads: the tower's width, the patch grid, frames per clip. */
  width: z.number().int().positive(),
  grid: z.number().int().positive(),
  frames: z.number().int().positive(),
  validation: bestValidationSchema,
});

export type TrackerMeta = z.infer<typeof trackerMetaSchema>;

const standardSpec = (width: number): HeadSpec => [
  { name: 'standard.mean', shape: [width], init: 'zeros' },
  { name: 'standard.scale', shape: [width], init: 'ones' },
];

export const TRACKER_HEAD: HeadKind<TrackerMeta> = {
  kind: 'tracker',
  what: 'a point tracker',
  command: 'vidlens train tracking --out DIR',
  meta: trackerMetaSchema,
  spec: (m) => [...pointSpec(m.width), ...standardSpec(m.width)],
};

export async function saveTracker(dir: string, meta: TrackerMeta, weights: HeadWeights, standard: Standardisation): Promise<void> {
  await writeHeadFolder(dir, TRACKER_HEAD, meta, { ...weights, 'standard.mean': standard.mean, 'standard.scale': standard.scale });
}

export async function loadTracker(dir: string, flag = '--adapter'): Promise<{ meta: TrackerMeta; weights: HeadWeights }> {
  const { meta, weights } = await readHeadFolder(flag, dir, TRACKER_HEAD);
  return { meta, weights };
}
