import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { inputError } from '../core/errors.js';

/** File extensions treated as video when scanning folders. Files named explicitly are always tried. */
export const VIDEO_EXTENSIONS = new Set([
  '.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi', '.wmv', '.flv', '.mpg', '.mpeg', '.ts', '.mts', '.m2ts', '.3gp', '.ogv', '.mxf',
]);

export interface ScanResult {
  /** Absolute paths, sorted, without duplicates. */
  files: string[];
  /** Files inside scanned folders that do not look like video (skipped quietly, counted). */
  ignored: number;
  /** Paths given that do not exist. */
  missing: Array<{ path: string; error: string }>;
}

async function walk(dir: string, out: Set<string>, counts: { ignored: number }): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out, counts);
    else if (entry.isFile() && VIDEO_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.add(full);
    else if (entry.isFile()) counts.ignored++;
  }
}

/** Expands files and folders (recursively, hidden entries skipped) into the video files to index. */
export async function scanPaths(paths: string[]): Promise<ScanResult> {
  if (paths.length === 0) throw inputError('no input: give at least one video file or folder');
  const files = new Set<string>();
  const counts = { ignored: 0 };
  const missing: ScanResult['missing'] = [];
  for (const path of paths) {
    const full = resolve(path);
    const info = await stat(full).catch(() => undefined);
    if (!info) missing.push({ path, error: `${path}: no such file or folder` });
    else if (info.isDirectory()) await walk(full, files, counts);
    else files.add(full);
  }
  return { files: [...files].sort(), ignored: counts.ignored, missing };
}
