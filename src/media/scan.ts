import { readdir, realpath, stat } from 'node:fs/promises';
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

interface WalkState {
  ignored: number;
  /** Real paths of the folders walked so far: a symlink loop, or two links to one folder, is walked once. */
  visited: Set<string>;
}

/** Symbolic links are followed (to files and folders alike); a dangling link counts as ignored. */
async function walk(dir: string, out: Set<string>, state: WalkState): Promise<void> {
  const real = await realpath(dir);
  if (state.visited.has(real)) return;
  state.visited.add(real);
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    const kind = entry.isSymbolicLink() ? await stat(full).catch(() => undefined) : entry;
    if (kind?.isDirectory()) await walk(full, out, state);
    else if (kind?.isFile() && VIDEO_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.add(full);
    else state.ignored++;
  }
}

/** Expands files and folders (recursively, hidden entries skipped) into the video files to index. */
export async function scanPaths(paths: string[]): Promise<ScanResult> {
  if (paths.length === 0) throw inputError('no input: give at least one video file or folder');
  const files = new Set<string>();
  const state: WalkState = { ignored: 0, visited: new Set() };
  const missing: ScanResult['missing'] = [];
  for (const path of paths) {
    const full = resolve(path);
    const info = await stat(full).catch(() => undefined);
    if (!info) missing.push({ path, error: `${path}: no such file or folder` });
    else if (info.isDirectory()) await walk(full, files, state);
    else files.add(full);
  }
  return { files: [...files].sort(), ignored: state.ignored, missing };
}
