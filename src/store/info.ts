import { existsSync } from 'node:fs';
import type { AnnState } from './ann.js';
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
  /** The ANN index: its type, rows in it and not yet in it, and its last build; null while searches scan every vector. */
  ann: null | (AnnState & { partitions: number | null; built: string | null });
  /** Adapters' copies of the segment vectors (`search --adapter` builds them): the adapter's key, rows, whether it matches the index now, its ANN index. */
  adapted: Array<{ key: string; rows: number; current: boolean; synced: string | null; ann: AnnState | null }>;
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
    ann: await annInfo(catalog),
    adapted: await adaptedInfo(catalog),
    vidlens: manifest.vidlens,
  };
}

async function annInfo(catalog: Catalog): Promise<IndexInfo['ann']> {
  const state = await catalog.ann.state();
  if (!state) return null;
  const build = catalog.manifest?.ann;
  return { ...state, partitions: build?.partitions ?? null, built: build?.built ?? null };
}

async function adaptedInfo(catalog: Catalog): Promise<IndexInfo['adapted']> {
  const versionKey = await catalog.versionKey();
  return Promise.all((await catalog.adaptedCopies()).map(async (copy) => {
    const synced = await copy.synced();
    return { key: copy.key, rows: await copy.segments.count(), current: synced?.versionKey === versionKey, synced: synced?.synced ?? null, ann: (await copy.ann.state()) ?? null };
  }));
}
