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

/** `readJsonLines` of records keyed by their `id` field (a string or number); an id given twice is an input error naming both lines. */
export async function readJsonLinesById<S extends z.ZodType<{ id: string | number }>>(path: string, schema: S): Promise<Map<string, { line: number; value: z.output<S> }>> {
  const out = new Map<string, { line: number; value: z.output<S> }>();
  for (const row of await readJsonLines(path, schema)) {
    const id = String(row.value.id);
    const first = out.get(id);
    if (first) throw inputError(`${path}:${row.line}: id ${id} appears twice (first on line ${first.line})`);
    out.set(id, row);
  }
  return out;
}
