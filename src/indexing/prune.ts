import { stat } from 'node:fs/promises';
import type { Catalog } from '../store/catalog.js';
import { withIndexLock } from '../store/lock.js';
import type { VideoRow } from '../store/schema.js';

/** Indexed videos whose file is no longer at its path (deleted, or moved and not indexed at the new place). */
export async function goneVideos(catalog: Catalog): Promise<VideoRow[]> {
  const videos = await catalog.videos.all();
  const present = await Promise.all(videos.map((v) => stat(v.path).then((s) => s.isFile(), () => false)));
  return videos.filter((_, i) => !present[i]).sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * `vidlens prune`: removes the videos whose file is gone, with their segments, under the index lock
 * (so a concurrent `vidlens index` never sees half of it). With `dryRun`, only lists them.
 */
export async function pruneGone(catalog: Catalog, options: { dryRun?: boolean } = {}): Promise<VideoRow[]> {
  return withIndexLock(catalog.dir, async () => {
    const gone = await goneVideos(catalog);
    if (!options.dryRun && gone.length) await catalog.deleteVideos(gone.map((v) => v.id));
    return gone;
  });
}
