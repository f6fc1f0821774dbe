import { assertAdapterFits, loadAdapter, type RetrievalAdapter } from './adapter.js';
import type { ModelManifest } from './encoder.js';
import { assertRerankerFits, loadReranker, type SavedReranker } from './reranker-store.js';

/** Loads the `--adapter` and `--reranker` folders given, each refused if trained on another model. */
export async function loadRankers(
  folders: { adapter?: string; reranker?: string },
  model: ModelManifest,
): Promise<{ adapter?: RetrievalAdapter; reranker?: SavedReranker }> {
  const adapter = folders.adapter ? await loadAdapter(folders.adapter) : undefined;
  if (adapter) assertAdapterFits(adapter, model, folders.adapter!);
  const reranker = folders.reranker ? await loadReranker(folders.reranker) : undefined;
  if (reranker) assertRerankerFits(reranker, model, folders.reranker!);
  return { adapter, reranker };
}
