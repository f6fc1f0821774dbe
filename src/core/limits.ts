/**
 * Caps on what one input may hold, so that a hostile or broken file is refused with a message instead
 * of exhausting memory (a 50 MB caption, a 20 MB model reply, a frame rate that asks for 6,000 seeks).
 */
export const LIMITS = {
  /** Characters in one caption or question: CLIP reads 77 tokens, a QA prompt a few hundred words. */
  textChars: 4000,
  /** Characters of a model's reply that are kept (the answer letter comes first; the rest is stored cut). */
  replyChars: 8000,
  /** Bytes of a model endpoint's response body. */
  replyBytes: 16 * 1024 ** 2,
  /** Frames sent with one question. */
  qaFrames: 256,
  /** Bytes of one frame image file. */
  imageBytes: 64 * 1024 ** 2,
} as const;
