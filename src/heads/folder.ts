import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { usageError } from '../core/errors.js';
import { misfits, sizeOf, type HeadSpec, type HeadWeights } from './spec.js';

/**
 * The one folder format of everything vidlens trains (retrieval adapters, rerankers, classifiers):
 *
 * - `head.json`: `{"format": "vidlens-head", "version": 1, "kind", "tensors": [{"name", "shape"}], "meta"}`
 *   — self-describing: the tensors are listed by name and shape, in file order;
 * - `weights.bin`: those tensors as little-endian float32, back to back.
 *
 * Folders written before this format (`adapter.json`, `reranker.json`, `classifier.json` beside
 * `weights.bin`) are read through each kind's legacy reader.
 */
export interface HeadKind<M> {
  kind: string;
  /** For messages: "an adapter", and the command that makes one. */
  what: string;
  command: string;
  meta: z.ZodType<M>;
  /** The tensors a head with this metadata has. */
  spec: (meta: M) => HeadSpec;
  legacy?: LegacyFormat;
}

/** An older folder layout: its metadata file, and how its JSON and floats map onto this format. */
export interface LegacyFormat {
  file: string;
  /** The metadata (validated afterwards like a current folder's) and named weights, or what does not fit. */
  read: (json: unknown, floats: Float32Array) => { meta: unknown; weights: HeadWeights } | string;
}

export const HEAD_FILE = 'head.json';
const WEIGHTS = 'weights.bin';

const headFileSchema = z.object({
  format: z.literal('vidlens-head'),
  version: z.literal(1),
  kind: z.string(),
  tensors: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()) })),
  meta: z.unknown(),
});

export interface LoadedHead<M> {
  meta: M;
  weights: HeadWeights;
  /** SHA-256 of `weights.bin`: identifies these weights (e.g. the first stage a reranker was trained on). */
  sha256: string;
}

export async function writeHeadFolder<M>(dir: string, kind: HeadKind<M>, meta: M, weights: HeadWeights): Promise<void> {
  const spec = kind.spec(meta);
  const bad = misfits(spec, weights);
  if (bad.length) throw new Error(`${kind.kind} weights do not fit their spec: ${bad.join(', ')}`);
  await mkdir(dir, { recursive: true });
  const parts = spec.map((t) => weights[t.name]);
  await writeFile(join(dir, WEIGHTS), Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  const head = { format: 'vidlens-head', version: 1, kind: kind.kind, tensors: spec.map((t) => ({ name: t.name, shape: t.shape })), meta };
  await writeFile(join(dir, HEAD_FILE), `${JSON.stringify(head, null, 2)}\n`);
}

async function readJson(flag: string, dir: string, file: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw usageError(`${flag} ${dir}: ${file} is not JSON`);
  }
}

/**
 * Reads and validates a folder of `kind`: the metadata against its schema, the tensors against the
 * spec the metadata implies. Every problem is a usage error naming `flag` and `dir`.
 */
export async function readHeadFolder<M>(flag: string, dir: string, kind: HeadKind<M>): Promise<LoadedHead<M>> {
  const head = await readJson(flag, dir, HEAD_FILE);
  const legacy = head === undefined && kind.legacy ? await readJson(flag, dir, kind.legacy.file) : undefined;
  const expected = `expected ${HEAD_FILE} and ${WEIGHTS}; see '${kind.command}'`;
  if (head === undefined && legacy === undefined) throw usageError(`${flag} ${dir}: not ${kind.what} folder (${expected})`);
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, WEIGHTS));
  } catch {
    throw usageError(`${flag} ${dir}: not ${kind.what} folder (${expected})`);
  }
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength - (bytes.byteLength % 4)));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = head !== undefined ? HEAD_FILE : kind.legacy!.file;

  let rawMeta: unknown;
  let weights: HeadWeights;
  if (head !== undefined) {
    const parsed = headFileSchema.safeParse(head);
    if (!parsed.success) throw usageError(`${flag} ${dir}: ${HEAD_FILE} is not valid (${describeIssue(parsed.error)})`);
    if (parsed.data.kind !== kind.kind) throw usageError(`${flag} ${dir}: holds a ${parsed.data.kind}, not ${kind.what} (see '${kind.command}')`);
    const total = parsed.data.tensors.reduce((n, t) => n + sizeOf(t.shape), 0);
    if (bytes.byteLength !== 4 * total) throw usageError(`${flag} ${dir}: ${WEIGHTS} has ${bytes.byteLength} bytes, expected ${4 * total} for the tensors in ${HEAD_FILE}`);
    let at = 0;
    weights = Object.fromEntries(parsed.data.tensors.map((t) => [t.name, floats.slice(at, (at += sizeOf(t.shape)))]));
    rawMeta = parsed.data.meta;
  } else {
    const converted = kind.legacy!.read(legacy, floats);
    if (typeof converted === 'string') throw usageError(`${flag} ${dir}: ${file} ${converted}`);
    ({ meta: rawMeta, weights } = converted);
  }
  const meta = kind.meta.safeParse(rawMeta);
  if (!meta.success) throw usageError(`${flag} ${dir}: ${file} is not valid (${describeIssue(meta.error)})`);
  const bad = misfits(kind.spec(meta.data), weights);
  if (bad.length) throw usageError(`${flag} ${dir}: ${WEIGHTS} does not hold the tensors ${file} describes (${bad.slice(0, 3).join(', ')})`);
  return { meta: meta.data, weights, sha256 };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(root)'}: ${issue?.message}`;
}

/** Splits a legacy positional `weights.bin` into named tensors of the given sizes, or says what does not fit. */
export function splitPositional(floats: Float32Array, parts: Array<[string, number]>): HeadWeights | string {
  const total = parts.reduce((n, [, size]) => n + size, 0);
  if (floats.length !== total) return `describes ${total} weights, but ${WEIGHTS} holds ${floats.length}`;
  let at = 0;
  return Object.fromEntries(parts.map(([name, size]) => [name, floats.slice(at, (at += size))]));
}
