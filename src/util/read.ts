import { readFile, stat } from 'node:fs/promises';
import { inputError, VidlensError } from '../core/errors.js';

/** The largest input file read whole (datasets, `.npy` matrices): a device or a runaway file is refused, not read until memory runs out. */
export const MAX_INPUT_BYTES = 1024 ** 3;

/** Bytes in the largest binary unit that keeps the number at or above 1 ("1.5 GiB", "64.0 MiB"). */
function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let k = 0;
  while (n >= 1024 ** (k + 1) && k < units.length - 1) k++;
  return k === 0 ? `${n} bytes` : `${(n / 1024 ** k).toFixed(1)} ${units[k]}`;
}

/**
 * Reads an input file, or throws an input error naming it and the reason: the system's (e.g.
 * ENOENT), not a regular file (a folder, `/dev/zero`, a pipe), or larger than `maxBytes` (`MAX_INPUT_BYTES` by default).
 * Text is read as UTF-8 without a leading byte-order mark.
 */
export async function readInput(path: string, encoding?: undefined, maxBytes?: number): Promise<Buffer>;
export async function readInput(path: string, encoding: 'utf8', maxBytes?: number): Promise<string>;
export async function readInput(path: string, encoding?: 'utf8', maxBytes = MAX_INPUT_BYTES): Promise<Buffer | string> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw inputError(`${path}: not a regular file`);
    if (info.size > maxBytes) throw inputError(`${path}: ${formatBytes(info.size)} is larger than the ${formatBytes(maxBytes)} this input may be`);
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof VidlensError) throw error;
    throw inputError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  return encoding ? bytes.toString('utf8').replace(/^\uFEFF/, '') : bytes;
}
