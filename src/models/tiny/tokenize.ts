import * as hf from '@huggingface/transformers';
import { clipTokenizerConfig, clipTokenizerJson } from './tokenizer.js';

/** Token ids and attention mask of a padded batch, row-major [texts, length]. */
export interface TokenBatch {
  ids: Int32Array;
  mask: Int32Array;
  length: number;
}

/**
 * The tokenizer `writeClipModel` writes for `words`, built in memory through the same transformers.js
 * class that loads it from the folder — so training tokenizes exactly as inference will.
 */
export function clipTokenizer(words: string[], maxLength: number): (texts: string[]) => TokenBatch {
  const tokenizer = new hf.CLIPTokenizer(clipTokenizerJson(words).json, clipTokenizerConfig(maxLength));
  return (texts) => {
    const out = tokenizer(texts, { padding: true, truncation: true, max_length: maxLength }) as { input_ids: hf.Tensor; attention_mask: hf.Tensor };
    const length = out.input_ids.dims[1];
    return {
      ids: Int32Array.from(out.input_ids.data as BigInt64Array, (v) => Number(v)),
      mask: Int32Array.from(out.attention_mask.data as BigInt64Array, (v) => Number(v)),
      length,
    };
  };
}
