import { parse } from 'csv-parse/sync';
import { inputError } from '../../core/errors.js';
import type { Matrix } from '../../util/matrix.js';
import { readInput } from '../../util/read.js';

export interface Ek100Clip {
  narrationId: string;
  videoId: string;
  narration: string;
  verbClass: number;
  nounClasses: number[];
  start: string;
  stop: string;
}

export interface Ek100Sentence {
  narrationId: string;
  /** The text to embed: the narration of the clip with this `narration_id` (see `loadEk100Mir`). */
  text: string;
  /** The text as written in the sentence file (differs from `text` for 6 of the last 7 rows). */
  fileText: string;
  /** Index of the clip with the same `narration_id`. */
  clip: number;
}

export interface Ek100Mir {
  clips: Ek100Clip[];
  sentences: Ek100Sentence[];
}

async function readCsv(path: string): Promise<Array<Record<string, string>>> {
  const text = await readInput(path, 'utf8');
  return parse(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
}

/** Parses a Python literal list of ints such as `[2, 7]`. */
function intList(value: string | undefined, where: string): number[] {
  try {
    const parsed: unknown = JSON.parse(value ?? '');
    if (Array.isArray(parsed) && parsed.every((v) => Number.isInteger(v))) return parsed as number[];
  } catch {
    // fall through to the error below
  }
  throw inputError(`${where}: expected a list of class ids like [2, 7], got ${JSON.stringify(value)}`);
}

/**
 * Loads EPIC-KITCHENS-100 multi-instance retrieval: the clips (`EPIC_100_retrieval_test.csv`) and
 * the sentence columns (`EPIC_100_retrieval_test_sentence.csv`).
 *
 * Quirk of the released sentence file: its last 7 rows are extra sentences added for uncovered
 * classes, and 6 of them carry narration text that does not belong to the clip of the same
 * `narration_id`. The published evaluation never reads the sentence text: for each sentence column
 * it embeds the narration of the clip with that `narration_id`. vidlens does the same (`text`), and
 * keeps the file's own text in `fileText` for inspection.
 */
export async function loadEk100Mir(videosCsv: string, sentencesCsv: string): Promise<Ek100Mir> {
  const rows = await readCsv(videosCsv);
  const clips: Ek100Clip[] = rows.map((r, i) => {
    const where = `${videosCsv}:${i + 2}`;
    const verbClass = Number(r.verb_class);
    if (!r.narration_id || !Number.isInteger(verbClass)) throw inputError(`${where}: missing narration_id or verb_class`);
    return {
      narrationId: r.narration_id,
      videoId: r.video_id ?? '',
      narration: r.narration ?? '',
      verbClass,
      nounClasses: intList(r.all_noun_classes, `${where} all_noun_classes`),
      start: r.start_timestamp ?? '',
      stop: r.stop_timestamp ?? '',
    };
  });
  const byId = new Map(clips.map((c, i) => [c.narrationId, i]));
  const sentences = (await readCsv(sentencesCsv)).map((r, i) => {
    const clip = byId.get(r.narration_id);
    if (clip === undefined) throw inputError(`${sentencesCsv}:${i + 2}: narration_id ${r.narration_id} has no clip in ${videosCsv}`);
    return { narrationId: r.narration_id, text: clips[clip].narration, fileText: r.narration ?? '', clip };
  });
  return { clips, sentences };
}

/**
 * The EK100 relevancy matrix (clips × sentences, float32): `R_ij = ½·[verb_i = verb_j] + ½·|N_i ∩ N_j| / |N_i ∪ N_j|`,
 * the sentence taking the classes of the clip whose `narration_id` it carries.
 */
export function ek100Relevancy(data: Ek100Mir): Matrix {
  const { clips, sentences } = data;
  const nouns = clips.map((c) => Int32Array.from(new Set(c.nounClasses)).sort());
  const out = new Float32Array(clips.length * sentences.length);
  const cols = sentences.length;
  for (let j = 0; j < cols; j++) {
    const s = sentences[j].clip;
    const verb = clips[s].verbClass;
    const sn = nouns[s];
    for (let i = 0; i < clips.length; i++) {
      const cn = nouns[i];
      let inter = 0;
      for (let a = 0, b = 0; a < cn.length && b < sn.length; ) {
        if (cn[a] === sn[b]) {
          inter++;
          a++;
          b++;
        } else if (cn[a] < sn[b]) a++;
        else b++;
      }
      const union = cn.length + sn.length - inter;
      out[i * cols + j] = (clips[i].verbClass === verb ? 0.5 : 0) + (union ? (0.5 * inter) / union : 0);
    }
  }
  return { data: out, rows: clips.length, cols };
}
