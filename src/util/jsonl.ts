import type { z } from 'zod';
import { inputError, listedInputError } from '../core/errors.js';
import { readInput } from './read.js';

/**
 * Reads a JSON Lines file, each non-blank line checked against `schema`: the parsed records with
 * their 1-based line numbers. Every invalid line is listed (file:line: reason) in one input error.
 */
export async function readJsonLines<S extends z.ZodType>(path: string, schema: S): Promise<Array<{ line: number; value: z.output<S> }>> {
  const text = await readInput(path, 'utf8');
  const out: Array<{ line: number; value: z.output<S> }> = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      problems.push(`${path}:${i + 1}: not valid JSON (${(error as Error).message})`);
      return;
    }
    const result = schema.safeParse(parsed);
    if (result.success) out.push({ line: i + 1, value: result.data });
    else problems.push(`${path}:${i + 1}: ${result.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ')}`);
  });
  if (problems.length) throw listedInputError(`${path}: ${problems.length} invalid line(s)`, problems);
  if (out.length === 0) throw inputError(`${path}: no records (the file is empty)`);
  return out;
}
