import { readFile } from 'node:fs/promises';
import { parseJsonWith, writeJsonAtomic } from '../util/json-file.js';
import { join } from 'node:path';
import { z } from 'zod';
import { inputError } from '../core/errors.js';

const stampSchema = z.object({ path: z.string(), size: z.number(), mtimeMs: z.number() });

/** What an index was built with: a search or a re-index with anything else is refused, never mixed. */
export const manifestSchema = z.object({
  vidlens: z.string(),
  created: z.string(),
  model: z.object({
    id: z.string(),
    /** The folder or hub id the model was loaded from; the default model of later runs. */
    source: z.string(),
    sha256: z.string(),
    dim: z.number().int().positive(),
    family: z.string(),
    frame: z.object({ size: z.number().int().positive(), crop: z.boolean() }),
  }),
  weights: z.array(stampSchema),
  sampling: z.object({ window: z.number().positive(), stride: z.number().positive(), frames: z.number().int().positive() }),
  /** Test-time augmentation at index time: `flip` sums each frame's embedding with its mirror image's. */
  tta: z.enum(['none', 'flip']).default('none'),
  /** The ANN index's last build (`store/ann.ts`), or null while searches are exact scans. */
  ann: z.object({
    /** Builds before IVF_HNSW_SQ recorded no kind: they were IVF_PQ (with `subVectors`). */
    kind: z.string().default('IVF_PQ'),
    partitions: z.number().int(),
    rows: z.number().int(),
    built: z.string(),
  }).nullable().default(null),
});

export type IndexManifest = z.infer<typeof manifestSchema>;

export const MANIFEST_FILE = 'vidlens-manifest.json';

export async function readManifest(dbDir: string): Promise<IndexManifest | undefined> {
  const path = join(dbDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw inputError(`${path}: the index manifest is not JSON (damaged?); restore it from a backup, or rebuild it with 'vidlens repair --db ${dbDir}'`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw inputError(`${path}: not a valid vidlens index manifest (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

/**
 * What the tables themselves record of the manifest (schema metadata of `segments`), so that a lost
 * or damaged manifest is detected, never silently replaced by another model's: everything but the
 * weight file stamps, which only speed up hashing and are refreshed on the next load.
 */
export const TABLE_MANIFEST_KEY = 'vidlens.manifest';

export function tableManifest(manifest: IndexManifest): string {
  return JSON.stringify({ ...manifest, weights: [] });
}

export function parseTableManifest(text: string | undefined): IndexManifest | undefined {
  return parseJsonWith(manifestSchema, text);
}

/** Writes atomically (temporary file + rename), so an interrupted write never leaves half a manifest. */
export async function writeManifest(dbDir: string, manifest: IndexManifest): Promise<void> {
  await writeJsonAtomic(join(dbDir, MANIFEST_FILE), manifest);
}
