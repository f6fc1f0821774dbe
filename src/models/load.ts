import type { Encoder } from './encoder.js';
import { resolveModelSource, type ModelSource } from './source.js';
import { loadTransformersEncoder, type LoadOptions } from './transformers.js';
import type { FileStamp } from './weights.js';

export interface LoadedModel {
  encoder: Encoder;
  source: ModelSource;
  stamps: FileStamp[];
}

/** Resolves `--model` (folder or hub id) and loads it. */
export async function loadEncoder(model: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const source = resolveModelSource(model);
  const { encoder, stamps } = await loadTransformersEncoder(source, options);
  return { encoder, source, stamps };
}
