import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { usageError } from '../core/errors.js';

/**
 * Output paths are checked before any work starts, so that a long evaluation or training run never
 * ends with "cannot write" (and a bad path is a usage error naming its flag, not an unexpected one).
 */

/** A folder to write into: it may not exist yet, but it must not be a file. */
export function outputFolder(flag: string, path: string | undefined): void {
  if (path !== undefined && existsSync(path) && !statSync(path).isDirectory()) throw usageError(`${flag} ${path}: exists and is not a folder`);
}

/** A file to write: not a folder, in a folder that exists. */
export function outputFile(flag: string, path: string | undefined): void {
  if (path === undefined) return;
  if (existsSync(path) && statSync(path).isDirectory()) throw usageError(`${flag} ${path}: is a folder; give a file name`);
  const parent = dirname(resolve(path));
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw usageError(`${flag} ${path}: the folder ${parent} does not exist`);
}
