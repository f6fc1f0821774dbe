import type { QaFrame } from './backend.js';

export const SYSTEM_PROMPT = 'You are an expert at understanding videos. You see frames sampled from one video, in order.';

export interface QuestionContext {
  question: string;
  /** `A: text` options for CloseQA; absent for OpenQA. */
  options?: string[];
  originalFps?: number;
  samplingFps?: number;
}

/** States the video's frame rates and each frame's time, as the EgoCross protocol does. */
export function framePreamble(frames: QaFrame[], ctx: QuestionContext): string {
  const times = frames.map((f, i) => `frame ${i + 1} at ${f.time.toFixed(2)} s`).join(', ');
  const rates = [
    ctx.originalFps ? `The video was recorded at ${Number(ctx.originalFps.toFixed(3))} fps.` : '',
    ctx.samplingFps ? `These ${frames.length} frames were sampled at ${Number(ctx.samplingFps.toFixed(3))} fps.` : `These are ${frames.length} frames.`,
  ].filter(Boolean);
  return `${rates.join(' ')} Times: ${times}.`;
}

/** CloseQA: the model must answer with `{"prediction": "<letter>", "reason": "..."}` (EgoCross). */
export function closePrompt(frames: QaFrame[], ctx: QuestionContext): string {
  return [
    framePreamble(frames, ctx),
    `Question: ${ctx.question}`,
    'Options:',
    ...(ctx.options ?? []),
    'Answer with only a JSON object: {"prediction": "<the option letter>", "reason": "<one short sentence>"}.',
  ].join('\n');
}

/** OpenQA: a short free-text answer. */
export function openPrompt(frames: QaFrame[], ctx: QuestionContext): string {
  return [framePreamble(frames, ctx), `Question: ${ctx.question}`, 'Answer briefly, in one or two sentences.'].join('\n');
}

/** The OpenQA judge (REFERENCES §4): a 0–5 mark as `{"mark": N}`. */
export function judgePrompt(item: { question: string; reference: string; detailed?: string; prediction: string }): string {
  return [
    'You are grading an answer to a question about a video.',
    `Question: ${item.question}`,
    `Reference answer: ${item.reference}`,
    ...(item.detailed ? [`Detailed reference: ${item.detailed}`] : []),
    `Predicted answer: ${item.prediction}`,
    'Score how well the prediction matches the reference, from 0 (wrong) to 5 (fully correct).',
    'Reply with only a JSON object: {"mark": <0-5>}.',
  ].join('\n');
}
