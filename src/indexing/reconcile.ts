import { existsSync } from 'node:fs';
import { describeError } from '../core/errors.js';
import { contentId } from '../media/video-id.js';
import type { VideoRow } from '../store/schema.js';

export interface Candidate {
  path: string;
  id: string;
  size: number;
  mtimeMs: number;
}

export interface Reconciliation {
  /** New or changed videos to decode and embed. */
  toIndex: Candidate[];
  /** Ids of stored videos whose file changed: their old rows and segments are removed. */
  replaced: string[];
  /** Stored videos found at a new path: only the path is updated. */
  moved: VideoRow[];
  /** Already indexed and unchanged (or duplicates of another file in this run). */
  unchanged: number;
  /** The stored rows of the unchanged videos (moved ones at their new path). */
  kept: VideoRow[];
  failed: Array<{ path: string; error: string }>;
}

/**
 * Compares the files on disk with the index by content id: unchanged files are skipped, moved
 * files keep their vectors, changed files — including one whose id is the same but whose
 * modification time changed — are re-embedded and their stale entries dropped.
 */
export async function reconcile(files: string[], stored: VideoRow[]): Promise<Reconciliation> {
  const byId = new Map(stored.map((v) => [v.id, v]));
  const byPath = new Map(stored.map((v) => [v.path, v]));
  const result: Reconciliation = { toIndex: [], replaced: [], moved: [], unchanged: 0, kept: [], failed: [] };
  const seen = new Set<string>();
  for (const path of files) {
    let candidate: Candidate;
    try {
      candidate = { path, ...(await contentId(path)) };
    } catch (error) {
      result.failed.push({ path, error: `${path}: cannot read the file (${describeError(error)})` });
      continue;
    }
    if (seen.has(candidate.id)) {
      result.unchanged++;
      continue;
    }
    seen.add(candidate.id);
    const known = byId.get(candidate.id);
    // Same path, same id, another modification time: possibly an edit that kept the size and both
    // ends the id hashes. It is re-embedded (a file only touched is re-embedded too: correctness first).
    if (known && known.path === path && known.mtime !== candidate.mtimeMs) {
      result.replaced.push(known.id);
      result.toIndex.push(candidate);
      continue;
    }
    if (known) {
      const movedHere = known.path !== path && !existsSync(known.path);
      if (movedHere) result.moved.push({ ...known, path });
      result.kept.push(movedHere ? { ...known, path } : known);
      result.unchanged++;
      continue;
    }
    const previous = byPath.get(path);
    if (previous) result.replaced.push(previous.id);
    result.toIndex.push(candidate);
  }
  return result;
}
