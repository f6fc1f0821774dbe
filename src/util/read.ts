import { readFile } from 'node:fs/promises';
import { inputError } from '../core/errors.js';

/** Reads an input file, or throws an input error naming it and the system's reason (e.g. ENOENT). */
export async function readInput(path: string): Promise<Buffer>;
export async function readInput(path: string, encoding: 'utf8'): Promise<string>;
export async function readInput(path: string, encoding?: 'utf8'): Promise<Buffer | string> {
  try {
    return encoding ? await readFile(path, encoding) : await readFile(path);
  } catch (error) {
    throw inputError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
}
