import { readFile, stat } from 'node:fs/promises';
import { inputError, VidlensError } from '../core/errors.js';

/** The largest input file read whole (datasets, `.npy` matrices): a device or a runaway file is refused, not read until memory runs out. */
export const MAX_INPUT_BYTES = 1024 ** 3;

/**
 * Reads an input file, or throws an input error naming it and the reason: the system's (e.g.
 * ENOENT), not a regular file (a folder, `/dev/zero`, a pipe), or larger than `MAX_INPUT_BYTES`.
 * Text is read as UTF-8 without a leading byte-order mark.
 */
export async function readInput(path: string): Promise<Buffer>;
export async function readInput(path: string, encoding: 'utf8'): Promise<string>;
export async function readInput(path: string, encoding?: 'utf8'): Promise<Buffer | string> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw inputError(`${path}: not a regular file`);
    if (info.size > MAX_INPUT_BYTES) throw inputError(`${path}: ${(info.size / 1024 ** 3).toFixed(1)} GiB is larger than the ${MAX_INPUT_BYTES / 1024 ** 3} GiB an input file may be`);
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof VidlensError) throw error;
    throw inputError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  return encoding ? bytes.toString('utf8').replace(/^\uFEFF/, '') : bytes;
}
