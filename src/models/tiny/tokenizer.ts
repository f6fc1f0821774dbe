/** GPT-2/CLIP byte-to-unicode table: every byte gets a printable character, so byte-level BPE never sees raw control bytes. */
function bytesToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const table = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = printable.includes(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++);
  }
  return table;
}

export const START_TOKEN = '<|startoftext|>';
export const END_TOKEN = '<|endoftext|>';

/** Byte-level BPE on one word's symbols: merge the lowest-ranked adjacent pair until none is left. */
function applyMerges(symbols: string[], ranks: Map<string, number>): string[] {
  const parts = [...symbols];
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < parts.length; i++) {
      const rank = ranks.get(`${parts[i]} ${parts[i + 1]}`);
      if (rank !== undefined && rank < bestRank) [best, bestRank] = [i, rank];
    }
    if (best < 0) return parts;
    parts.splice(best, 2, parts[best] + parts[best + 1]);
  }
}

/**
 * BPE merges that build each of `words` (lower-case ASCII letters) into one `word</w>` token. Each
 * word is first split by the merges so far, then its remaining pieces are joined left to right by
 * new merges ranked after all earlier ones — so a word's merges never break a word built before it,
 * and earlier merges that cut across a later word are taken into account. The pieces join the vocabulary.
 */
function wordMerges(words: string[]): { pieces: string[]; merges: string[] } {
  const pieces: string[] = [];
  const merges: string[] = [];
  const ranks = new Map<string, number>();
  for (const word of words) {
    if (!/^[a-z]{2,}$/.test(word)) throw new Error(`tokenizer word "${word}": only two or more lower-case letters`);
    const parts = applyMerges([...word.slice(0, -1), `${word.at(-1)}</w>`], ranks);
    while (parts.length > 1) {
      const merge = `${parts[0]} ${parts[1]}`;
      ranks.set(merge, merges.length);
      merges.push(merge);
      parts.splice(0, 2, parts[0] + parts[1]);
      pieces.push(parts[0]);
    }
  }
  return { pieces, merges };
}

/**
 * A CLIP-style byte-level BPE tokenizer in the Hugging Face `tokenizer.json` format: CLIP's
 * normaliser, pre-tokeniser and post-processor, a vocabulary of the 256 byte symbols with and
 * without the `</w>` end-of-word suffix, then (optionally) whole-word tokens for `words` with the merges
 * that build them — any other word is spelled out one character a token — and the two special tokens
 * last: end-of-text has the largest id, which the text tower's ArgMax pooling relies on.
 */
export function clipTokenizerJson(words: string[] = []): { json: object; vocabSize: number } {
  const symbols = bytesToUnicode();
  const vocab: Record<string, number> = {};
  const add = (token: string) => {
    if (!(token in vocab)) vocab[token] = Object.keys(vocab).length;
  };
  for (const s of symbols) add(s);
  for (const s of symbols) add(`${s}</w>`);
  const { pieces, merges } = wordMerges(words);
  for (const piece of pieces) add(piece);
  const startId = Object.keys(vocab).length;
  vocab[START_TOKEN] = startId;
  vocab[END_TOKEN] = startId + 1;
  const special = (id: number, content: string) => ({
    id, content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true,
  });
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(startId, START_TOKEN), special(startId + 1, END_TOKEN)],
    normalizer: {
      type: 'Sequence',
      normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        {
          type: 'Split',
          pattern: { Regex: "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: [END_TOKEN, startId + 1],
      cls: [START_TOKEN, startId],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: END_TOKEN,
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
  return { json, vocabSize: startId + 2 };
}

/** The `tokenizer_config.json` of that tokenizer. */
export function clipTokenizerConfig(maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'CLIPTokenizer',
    model_max_length: maxLength,
    bos_token: START_TOKEN,
    eos_token: END_TOKEN,
    pad_token: END_TOKEN,
    unk_token: END_TOKEN,
    do_lower_case: true,
  };
}
