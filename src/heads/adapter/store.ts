import type { ModelManifest } from '../../models/encoder.js';
import { assertTrainedOn } from '../trained-on.js';
import { readHeadFolder, writeHeadFolder } from '../folder.js';
import { ADAPTER_HEAD, type RetrievalAdapter } from './adapter.js';

/** A saved adapter, with the SHA-256 of its weights. */
export type LoadedAdapter = RetrievalAdapter & { sha256: string };

export async function saveAdapter(dir: string, adapter: RetrievalAdapter): Promise<void> {
  await writeHeadFolder(dir, ADAPTER_HEAD, { ...adapter.meta, temporal: adapter.temporal ?? null }, adapter.weights);
}

export async function loadAdapter(dir: string, flag = '--adapter'): Promise<LoadedAdapter> {
  const { meta, weights, sha256 } = await readHeadFolder(flag, dir, ADAPTER_HEAD);
  return { meta, weights, temporal: meta.temporal ?? undefined, sha256 };
}

/** Refuses an adapter trained on another model's features. */
export function assertAdapterFits(adapter: RetrievalAdapter, model: ModelManifest, dir: string): void {
  assertTrainedOn('--adapter', dir, adapter.meta.model, model, 'vidlens train retrieval');
}
