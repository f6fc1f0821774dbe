import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Sets or clears the write bits of a folder and everything in it. */
export function writable(path: string, on: boolean): void {
  const mode = statSync(path).mode;
  chmodSync(path, on ? mode | 0o200 : mode & ~0o222);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) writable(join(path, name), on);
}
