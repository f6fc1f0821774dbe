import { existsSync } from 'node:fs';
import { Catalog } from './catalog.js';
import type { IndexManifest } from './manifest.js';

export interface IndexInfo {
  videos: number;
  segments: number;
  model: { id: string; sha256: string; dim: number; source: string };
  sampling: IndexManifest['sampling'];
  tta: IndexManifest['tta'];
  domains: Record<string, number>;
  hours: number;
  /** Indexed videos whose file is no longer at its path ('vidlens prune' removes them). */
  missing: number;
  vidlens: string;
}

/** Summarises an index: counts, model, sampling, videos per domain, hours of footage. */
export async function indexInfo(db: string): Promise<IndexInfo> {
  const catalog = await Catalog.open(db, { create: false });
  const manifest = catalog.manifest!;
  const counts = await catalog.counts();
  const videos = await catalog.videos.all();
  const domains: Record<string, number> = {};
  for (const v of videos) domains[v.domain] = (domains[v.domain] ?? 0) + 1;
  return {
    videos: counts.videos,
    segments: counts.segments,
    model: { id: manifest.model.id, sha256: manifest.model.sha256, dim: manifest.model.dim, source: manifest.model.source },
    sampling: manifest.sampling,
    tta: manifest.tta,
    domains,
    hours: videos.reduce((s, v) => s + v.duration, 0) / 3600,
    missing: videos.filter((v) => !existsSync(v.path)).length,
    vidlens: manifest.vidlens,
  };
}
