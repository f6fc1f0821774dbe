/** CloseQA and OpenQA scoring of the EgoCross protocol (REFERENCES §4). Pure: no model calls here. */

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON objects a reply may hold, in the order they are tried: the whole reply, then its first `{...}` (models wrap JSON in prose). */
function replyObjects(reply: string): Array<Record<string, unknown>> {
  const match = /\{[^{}]*\}/.exec(reply);
  return [parseObject(reply.trim()), match ? parseObject(match[0]) : undefined].filter((o) => o !== undefined);
}

/** The first JSON object of a reply that has `key`. */
export function replyField(reply: string, key: string): unknown {
  return replyObjects(reply).find((o) => key in o)?.[key];
}

/** The letter inside `{"prediction": "<letter>", ...}`: the whole reply as JSON, else its first `{...}`. */
export function strictPrediction(reply: string): string | undefined {
  const p = replyField(reply, 'prediction');
  return typeof p === 'string' ? p.trim() : undefined;
}

/** Strict CloseQA: correct iff the parsed letter equals the key, case-insensitively; unparseable is wrong. */
export function strictCorrect(reply: string, key: string): boolean {
  const p = strictPrediction(reply);
  return p !== undefined && p.toUpperCase() === key.trim().toUpperCase();
}

/**
 * Lenient extraction: the JSON prediction if any, else the first standalone option letter, as in
 * `(B)`, `B.`, `B)`, `Answer: B`, or a lone `B`. Letters inside words never count.
 */
export function lenientPrediction(reply: string, letters = 'ABCD'): string | undefined {
  const strict = strictPrediction(reply);
  if (strict && letters.includes(strict.toUpperCase()) && strict.length === 1) return strict.toUpperCase();
  const set = `[${letters}${letters.toLowerCase()}]`;
  const patterns = [
    new RegExp(`answer\\s*(?:is)?\\s*[:：]?\\s*\\(?(${set})\\b`, 'i'),
    new RegExp(`\\((${set})\\)`),
    new RegExp(`(?:^|\\s)(${set})[.):](?:\\s|$)`),
    new RegExp(`(?:^|[^A-Za-z])([${letters}])(?![A-Za-z])`),
  ];
  for (const pattern of patterns) {
    const m = pattern.exec(reply);
    if (m) return m[1].toUpperCase();
  }
  return undefined;
}

export interface AccuracyScore {
  /** Percent. */
  accuracy: number;
  correct: number;
  n: number;
}

export function accuracy(correct: boolean[]): AccuracyScore {
  const c = correct.filter(Boolean).length;
  return { accuracy: correct.length ? (100 * c) / correct.length : NaN, correct: c, n: correct.length };
}

export function closeQaScores(items: Array<{ reply: string; key: string }>): { strict: AccuracyScore; lenient: AccuracyScore } {
  return {
    strict: accuracy(items.map((i) => strictCorrect(i.reply, i.key))),
    lenient: accuracy(items.map((i) => lenientPrediction(i.reply) === i.key.trim().toUpperCase())),
  };
}

/** OpenQA: mark 5 when the reference is a case-insensitive substring of the prediction; else the judge decides. */
export function substringMark(prediction: string, reference: string): 5 | undefined {
  return reference.trim() && prediction.toLowerCase().includes(reference.trim().toLowerCase()) ? 5 : undefined;
}

/** The judge's `{"mark": N}` (0–5), or undefined when the reply does not parse. */
export function parseJudgeMark(reply: string): number | undefined {
  const match = /\{[^{}]*\}/.exec(reply);
  if (!match) return undefined;
  try {
    const mark = (JSON.parse(match[0]) as { mark?: unknown }).mark;
    const n = typeof mark === 'string' ? Number(mark) : mark;
    return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 5 ? n : undefined;
  } catch {
    return undefined;
  }
}

export interface OpenQaScore {
  /** Percent of items with mark ≥ 4. */
  accuracy: number;
  mean_mark: number;
  n: number;
}

/** Correct iff mark ≥ 4; unparseable judge replies (after retries) count as mark 0. */
export function openQaScores(marks: number[]): OpenQaScore {
  const n = marks.length;
  const correct = marks.filter((m) => m >= 4).length;
  return { accuracy: n ? (100 * correct) / n : NaN, mean_mark: n ? marks.reduce((a, b) => a + b, 0) / n : NaN, n };
}
