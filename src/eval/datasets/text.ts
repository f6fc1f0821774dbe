import { z } from 'zod';
import { LIMITS } from '../../core/limits.js';

/** A dataset string of bounded length: a runaway field is refused at its line, not tokenised until memory runs out. */
export function boundedText(what: string): z.ZodString {
  return z.string().max(LIMITS.textChars, { error: (issue) => `${what} may have at most ${LIMITS.textChars} characters (this one has ${String((issue.input as string).length)})` });
}
