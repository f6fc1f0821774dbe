import { z } from 'zod';
import { inputError } from '../../core/errors.js';
import { readInput } from '../../util/read.js';
import { boundedText } from './text.js';

/** One EgoCross four-option question (REFERENCES §4), answers merged in when given. */
export const egoCrossItemSchema = z
  .object({
    id: z.union([z.number(), z.string()]),
    dataset: z.string(),
    primary_category: z.string(),
    question_type: z.string().optional(),
    question_text: boundedText('a question'),
    options: z.array(boundedText('an option')),
    original_video_fps: z.number().optional(),
    video_path: z.array(z.string()),
  })
  .loose();

const answerSchema = z
  .object({ id: z.union([z.number(), z.string()]), correct_option_letter: z.string(), answer_text: z.string().optional(), detailed_answer: z.string().optional() })
  .loose();

export type EgoCrossItem = z.infer<typeof egoCrossItemSchema> & { answer?: z.infer<typeof answerSchema> };

const OPTION = /^([A-Z])\s*[:.)]\s*(.*)$/s;

/** Splits `"A: 4"` into letter and text; an option not in that form is an input error. */
export function parseOption(option: string, where: string): { letter: string; text: string } {
  const m = OPTION.exec(option.trim());
  if (!m) throw inputError(`${where}: option ${JSON.stringify(option)} is not in the form "A: text"`);
  return { letter: m[1], text: m[2].trim() };
}

async function readJsonArray(path: string): Promise<unknown[]> {
  const text = await readInput(path, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw inputError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(value)) throw inputError(`${path}: expected a JSON array of items`);
  return value;
}

/**
 * Loads EgoCross questions (`egocross_testbed_imgs.json` format) and, when given, the answers file;
 * every answer id must match a question id and vice versa.
 */
export async function loadEgoCross(questionsPath: string, answersPath?: string): Promise<EgoCrossItem[]> {
  const items = (await readJsonArray(questionsPath)).map((raw, i) => {
    const parsed = egoCrossItemSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw inputError(`${questionsPath}: item ${i}: ${issue.path.join('.')}: ${issue.message}`);
    }
    parsed.data.options.forEach((o) => parseOption(o, `${questionsPath}: item ${parsed.data.id}`));
    return parsed.data as EgoCrossItem;
  });
  if (!answersPath) return items;
  const answers = (await readJsonArray(answersPath)).map((raw, i) => {
    const parsed = answerSchema.safeParse(raw);
    if (!parsed.success) throw inputError(`${answersPath}: item ${i}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
    return parsed.data;
  });
  const byId = new Map(answers.map((a) => [String(a.id), a]));
  const missing = items.filter((q) => !byId.has(String(q.id))).map((q) => q.id);
  const questionIds = new Set(items.map((q) => String(q.id)));
  const extra = answers.filter((a) => !questionIds.has(String(a.id))).map((a) => a.id);
  if (missing.length || extra.length) {
    throw inputError(
      `${answersPath}: ids do not match ${questionsPath}` +
        (missing.length ? `; no answer for ${missing.length} question(s) (e.g. ${missing.slice(0, 3).join(', ')})` : '') +
        (extra.length ? `; ${extra.length} answer(s) for unknown ids (e.g. ${extra.slice(0, 3).join(', ')})` : ''),
    );
  }
  return items.map((q) => ({ ...q, answer: byId.get(String(q.id)) }));
}
