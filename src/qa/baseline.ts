import sharp from 'sharp';
import type { Encoder } from '../models/encoder.js';
import { dot, meanPool } from '../models/vectors.js';
import type { QaFrame } from './backend.js';

/** Folds a question and an option into one statement for the text encoder. */
export function optionStatement(question: string, optionText: string): string {
  return `Question: ${question} Answer: ${optionText}`;
}

/**
 * The offline baseline that needs no LLM: embeds the frames with the index's encoder (mean pooled),
 * embeds each option folded into a statement, and picks the most similar. Returns the letter, the
 * scores, and a reply in the CloseQA JSON format so that it is scored like a model's.
 */
export async function baselineAnswer(
  encoder: Encoder,
  frames: QaFrame[],
  question: string,
  options: Array<{ letter: string; text: string }>,
): Promise<{ letter: string; scores: number[]; reply: string }> {
  const { size } = encoder.manifest.frame;
  const rgb = await Promise.all(
    frames.map(async (f) => new Uint8Array(await sharp(f.jpeg).resize(size, size, { fit: 'cover' }).removeAlpha().raw().toBuffer())),
  );
  const dim = encoder.manifest.dim;
  const vectors = await encoder.embedFrames(encoder.prepareFrames(rgb));
  const clip = meanPool(Array.from({ length: rgb.length }, (_, i) => vectors.subarray(i * dim, (i + 1) * dim)), dim);
  const text = await encoder.embedTexts(options.map((o) => optionStatement(question, o.text)));
  const scores = options.map((_, i) => dot(clip, text, i * dim));
  const best = scores.indexOf(Math.max(...scores));
  const letter = options[best].letter;
  return { letter, scores, reply: JSON.stringify({ prediction: letter, reason: `highest video–text similarity (${scores[best].toFixed(4)})` }) };
}
