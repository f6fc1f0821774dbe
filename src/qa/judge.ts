import { parseJudgeMark, substringMark } from '../eval/metrics/qa.js';
import type { QaBackend } from './backend.js';
import { judgePrompt } from './prompts.js';

/** Judge replies tried before an unparseable judge counts as mark 0 (REFERENCES §4). */
export const JUDGE_ATTEMPTS = 5;

/**
 * OpenQA marking: 5 when the reference is a case-insensitive substring of the prediction; otherwise
 * the judge's `{"mark": N}`, asked up to 5 times until it parses, else 0. Returns every judge reply.
 */
export async function markOpenAnswer(
  judge: QaBackend | undefined,
  item: { question: string; reference: string; detailed?: string; prediction: string },
): Promise<{ mark: number; replies: string[] }> {
  const direct = substringMark(item.prediction, item.reference);
  if (direct !== undefined) return { mark: direct, replies: [] };
  if (!judge) return { mark: 0, replies: [] };
  const replies: string[] = [];
  for (let attempt = 0; attempt < JUDGE_ATTEMPTS; attempt++) {
    const reply = await judge.answer({ frames: [], prompt: judgePrompt(item) });
    replies.push(reply);
    const mark = parseJudgeMark(reply);
    if (mark !== undefined) return { mark, replies };
  }
  return { mark: 0, replies };
}
