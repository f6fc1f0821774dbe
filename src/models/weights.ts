import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Size and modification time of each weights file: a cheap fingerprint that decides whether a stored hash still holds. */
export interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
}

export async function stampFiles(paths: string[]): Promise<FileStamp[]> {
  return Promise.all(
    paths.map(async (path) => {
      const s = await stat(path);
      return { path, size: s.size, mtimeMs: s.mtimeMs };
    }),
  );
}

/** SHA-256 over the concatenated bytes of the files, streamed. */
export async function hashFiles(paths: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) {
    for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

export function sameStamps(a: FileStamp[], b: FileStamp[] | undefined): boolean {
  return !!b && a.length === b.length && a.every((s, i) => s.path === b[i].path && s.size === b[i].size && s.mtimeMs === b[i].mtimeMs);
}
