import { usageError } from '../core/errors.js';
import { assertAdapterFits, loadAdapter, type LoadedAdapter } from './adapter/store.js';
import type { ModelManifest } from '../models/encoder.js';
import { assertRerankerFits, loadReranker, type SavedReranker } from './reranker/store.js';

/** Loads the `--adapter` and `--reranker` folders given, each refused if trained on another model. */
export async function loadRankers(
  folders: { adapter?: string; reranker?: string },
  model: ModelManifest,
): Promise<{ adapter?: LoadedAdapter; reranker?: SavedReranker }> {
  const adapter = folders.adapter ? await loadAdapter(folders.adapter) : undefined;
  if (adapter) assertAdapterFits(adapter, model, folders.adapter!);
  const reranker = folders.reranker ? await loadReranker(folders.reranker) : undefined;
  if (reranker) {
    assertRerankerFits(reranker, model, folders.reranker!);
    assertSameFirstStage(reranker, folders.reranker!, adapter, folders.adapter);
  }
  return { adapter, reranker };
}

/**
 * A reranker adds β·cos to the first stage's score, with β learned against one first stage's
 * scores: reranking another first stage (the frozen model vs an adapter, or another adapter) is refused.
 */
function assertSameFirstStage(reranker: SavedReranker, dir: string, adapter: LoadedAdapter | undefined, adapterDir: string | undefined): void {
  const trained = reranker.meta.firstStageAdapter ?? null;
  if ((trained?.sha256 ?? null) === (adapter?.sha256 ?? null)) return;
  const was = trained ? `the adapter ${trained.path} (sha256 ${trained.sha256.slice(0, 12)}…)` : 'the frozen model (no --adapter)';
  const now = adapter ? `--adapter ${adapterDir} (sha256 ${adapter.sha256.slice(0, 12)}…)` : 'the frozen model (no --adapter)';
  throw usageError(`--reranker ${dir}: trained to rerank ${was}, but this first stage is ${now}; use the same first stage, or train the reranker with 'vidlens train rerank${trained ? '' : ' --adapter DIR'}' on this one`);
}
