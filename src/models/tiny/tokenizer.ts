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

/**
 * A CLIP-style byte-level BPE tokenizer in the Hugging Face `tokenizer.json` format: CLIP's
 * normaliser, pre-tokeniser and post-processor, a vocabulary of the 256 byte symbols with and
 * without the `</w>` end-of-word suffix, no merges (so every character is a token), and the two
 * special tokens last — end-of-text has the largest id, which the text tower's ArgMax pooling relies on.
 */
export function clipTokenizerJson(): { json: object; vocabSize: number } {
  const symbols = bytesToUnicode();
  const vocab: Record<string, number> = {};
  for (const s of symbols) vocab[s] = Object.keys(vocab).length;
  for (const s of symbols) vocab[`${s}</w>`] = Object.keys(vocab).length;
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
      merges: [],
    },
  };
  return { json, vocabSize: startId + 2 };
}
