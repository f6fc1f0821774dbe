import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { usageError } from '../core/errors.js';

/**
 * The folder format of everything vidlens trains (adapters, rerankers, classifiers): a JSON file of
 * metadata and `weights.bin`, float32 arrays back to back in an order the metadata determines.
 */
export interface WeightFolder {
  /** The metadata file's name, e.g. `adapter.json`. */
  meta: string;
  /** What the folder is, for messages ("an adapter"), and the command that makes one. */
  what: string;
  command: string;
}

const WEIGHTS = 'weights.bin';

export async function writeWeightFolder(dir: string, folder: WeightFolder, meta: unknown, parts: Float32Array[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, WEIGHTS), Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  await writeFile(join(dir, folder.meta), `${JSON.stringify(meta, null, 2)}\n`);
}

/**
 * Reads and validates a folder: the metadata against `schema`, the weights' length against
 * `sizes(meta)` (float counts, in file order). Every problem is a usage error naming `flag` and `dir`.
 * `sha256` identifies the weights (what a reranker trained on an adapter's first stage records).
 */
export async function readWeightFolder<S extends z.ZodTypeAny>(
  flag: string,
  dir: string,
  folder: WeightFolder,
  schema: S,
  sizes: (meta: z.infer<S>) => number[],
): Promise<{ meta: z.infer<S>; parts: Float32Array[]; sha256: string }> {
  let metaText: string;
  let bytes: Buffer;
  try {
    [metaText, bytes] = await Promise.all([readFile(join(dir, folder.meta), 'utf8'), readFile(join(dir, WEIGHTS))]);
  } catch {
    throw usageError(`${flag} ${dir}: not ${folder.what} folder (expected ${folder.meta} and ${WEIGHTS}; see '${folder.command}')`);
  }
  let json: unknown;
  try {
    json = JSON.parse(metaText);
  } catch {
    throw usageError(`${flag} ${dir}: ${folder.meta} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw usageError(`${flag} ${dir}: ${folder.meta} is not valid (${issue?.path.join('.')}: ${issue?.message})`);
  }
  const meta = parsed.data as z.infer<S>;
  const counts = sizes(meta);
  const expected = 4 * counts.reduce((a, b) => a + b, 0);
  if (bytes.length !== expected) throw usageError(`${flag} ${dir}: ${WEIGHTS} has ${bytes.length} bytes, expected ${expected} for the shapes in ${folder.meta}`);
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  let at = 0;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { meta, parts: counts.map((n) => floats.slice(at, (at += n))), sha256 };
}
