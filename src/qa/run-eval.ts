import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { usageError, VidlensError } from '../core/errors.js';
import { loadEgoCross, parseOption, type EgoCrossItem } from '../eval/datasets/egocross.js';
import { accuracy, lenientPrediction, openQaScores, strictCorrect } from '../eval/metrics/qa.js';
import { sliceBy } from '../eval/metrics/slices.js';
import { encoderRef, reportHeader } from '../eval/report/header.js';
import type { QaDetail, QaMetrics, QaReport } from '../eval/report/types.js';
import { openIndex } from '../indexing/open.js';
import type { Encoder } from '../models/encoder.js';
import type { QaBackend } from './backend.js';
import { baselineAnswer } from './baseline.js';
import { ReplyCache } from './cache.js';
import { frameFilePath, framesFromFiles, framesFromVideo, type SelectedFrames } from './frames.js';
import { markOpenAnswer } from './judge.js';
import { closePrompt, openPrompt, SYSTEM_PROMPT } from './prompts.js';
import type { OnProgress } from '../core/events.js';

export interface EvalQaOptions {
  dataset: string;
  /** The answer key; without it the run only predicts (EgoCross's test questions ship without answers). */
  answers?: string;
  mode: 'close' | 'open';
  /** The model under test; without one, only the offline baseline runs. */
  backend?: QaBackend;
  /** OpenQA judge (any backend); without one, only substring matches score. */
  judge?: QaBackend;
  /** Index whose encoder runs the offline baseline; the baseline is skipped without one. */
  db?: string;
  framesRoot?: string;
  /** Read frame files outside `framesRoot` (or the dataset's folder) too. */
  framesAnywhere?: boolean;
  /** Rate of listed frame files when the items do not give their times (EgoCross samples at 0.5–1 fps). */
  framesFps?: number;
  /** Longest side of frames sent to the model, pixels. */
  maxSide?: number;
  /** Evaluate only the first N items. */
  limit?: number;
  /** Leave out questions whose frame files or video do not exist, and list them in the report. */
  skipMissing?: boolean;
  /** Report folder; also holds `replies.jsonl`, which makes reruns resume. */
  out?: string;
  onProgress?: OnProgress;
}

export const QA_DEFINITIONS = {
  'closeqa.strict': 'EgoCross CloseQA: the reply parsed as JSON (or its first {...}); correct iff "prediction" equals the key letter, case-insensitively; unparseable is wrong. Percent, higher is better.',
  'closeqa.lenient': 'The JSON letter, else the first standalone option letter ("Answer: B", "(B)", "B."); reported separately from the strict number. Percent, higher is better.',
  'openqa': 'EgoCross OpenQA: mark 5 if the reference is a substring of the answer, else the judge\'s 0–5 mark (5 tries to parse, then 0); correct iff mark ≥ 4. Percent, higher is better.',
  'baseline.closeqa': 'Offline zero-shot baseline: the option whose statement ("Question: … Answer: …") is most similar to the mean-pooled frame embedding of the index\'s encoder; scored strictly. Percent.',
};

/** `--skip-missing`: the question, if any of its frame files (or its video) is not there, with the first one missing. */
function missingInputs(item: EgoCrossItem, o: EvalQaOptions, base: string): Array<{ id: string; reason: string }> {
  const extra = item as EgoCrossItem & { video?: string };
  const paths = item.video_path.length ? item.video_path.map((p) => frameFilePath(p, { root: o.framesRoot, base })) : extra.video ? [resolve(base, extra.video)] : [];
  const gone = paths.find((p) => !existsSync(p));
  return gone ? [{ id: String(item.id), reason: `item ${item.id}: ${gone} does not exist` }] : [];
}

async function selectFrames(item: EgoCrossItem, o: EvalQaOptions, base: string, maxSide: number): Promise<SelectedFrames> {
  const extra = item as EgoCrossItem & { frame_times?: number[]; video?: string; start?: number; end?: number };
  if (item.video_path.length > 0) {
    const selected = await framesFromFiles(item.video_path, { root: o.framesRoot, base, fps: o.framesFps ?? 1, maxSide, times: extra.frame_times, item: item.id, anywhere: o.framesAnywhere });
    return { ...selected, originalFps: item.original_video_fps };
  }
  if (extra.video) return framesFromVideo(resolve(base, extra.video), { start: extra.start, end: extra.end, fps: o.framesFps ?? 1, maxSide });
  throw usageError(`${o.dataset}: item ${item.id} has neither frame files nor a video`);
}

function summarise(results: QaDetail[], mode: 'close' | 'open', withModel: boolean): QaMetrics {
  const metrics: QaMetrics = {};
  if (withModel && mode === 'close') {
    metrics.closeqa = { strict: accuracy(results.map((r) => !!r.strict)), lenient: accuracy(results.map((r) => !!r.lenient)) };
  }
  if (withModel && mode === 'open') metrics.openqa = openQaScores(results.map((r) => r.mark ?? 0));
  const base = results.filter((r) => r.baseline && r.baseline.correct !== null);
  if (base.length) metrics.baseline = { closeqa: { strict: accuracy(base.map((r) => r.baseline!.correct === true)) } };
  return metrics;
}

/** One line per question: its id, the letter each answerer chose (null when none could be read), and the model's reply. */
async function writePredictions(path: string, results: QaDetail[]): Promise<void> {
  const lines = results.map((r) => JSON.stringify({ id: r.id, prediction: r.lenientLetter ?? null, baseline: r.baseline?.letter ?? null, reply: r.reply ?? null }));
  await writeFile(path, `${lines.join('\n')}\n`);
}

/**
 * `vidlens eval qa`: answers EgoCross-format questions with a model backend (CloseQA or OpenQA with
 * a judge) and the offline similarity baseline, scores them by the EgoCross protocol, and reports
 * overall, per domain and per category; without an answer key it only predicts (`predictions.jsonl`). Every reply is kept (`replies.jsonl`); a rerun resumes.
 */
export async function evalQa(o: EvalQaOptions): Promise<QaReport> {
  let items = await loadEgoCross(o.dataset, o.answers);
  if (o.limit) items = items.slice(0, o.limit);
  const base = dirname(resolve(o.dataset));
  const skipped = o.skipMissing ? items.flatMap((item) => missingInputs(item, o, base)) : [];
  if (skipped.length) {
    const gone = new Set(skipped.map((s) => s.id));
    items = items.filter((item) => !gone.has(String(item.id)));
  }
  if (!o.backend && !o.db) throw usageError('nothing to evaluate: give --llm-url/--llm-model for a model, and/or --db for the offline baseline');
  const scored = o.answers !== undefined;
  if (!scored && o.mode === 'open' && o.judge) throw usageError('--judge-model marks answers against the reference answers: give --answers, or leave out the judge to only predict');
  const maxSide = o.maxSide ?? 448;
  if (o.out) await mkdir(o.out, { recursive: true });
  const cache = await ReplyCache.open(o.out ? join(o.out, 'replies.jsonl') : undefined);
  let encoder: Encoder | undefined;
  if (o.db) encoder = (await openIndex(o.db, { create: false })).encoder;
  try {
    const results: QaDetail[] = new Array(items.length);
    let done = 0;
    let answeredNow = 0;
    const limit = pLimit(8);
    let failure: unknown;
    const run = async (item: EgoCrossItem, k: number) => {
      if (failure) return;
      try {
        await answerItem(item, k);
      } catch (error) {
        failure ??= error;
      }
    };
    const answerItem = async (item: EgoCrossItem, k: number) => {
      const id = String(item.id);
      const key = item.answer ? item.answer.correct_option_letter.trim().toUpperCase() : null;
      const parsedOptions = item.options.map((opt) => parseOption(opt, `${o.dataset}: item ${id}`));
      const r: QaDetail = { id, domain: item.dataset, category: item.primary_category, question: item.question_text, options: item.options, key };
      let frames: SelectedFrames | undefined;
      const getFrames = async () => (frames ??= await selectFrames(item, o, base, maxSide));
      if (o.backend) {
        let cached = cache.get(id, o.backend.id, o.mode);
        if (!cached) {
          const f = await getFrames();
          const ctx = { question: item.question_text, options: item.options, originalFps: f.originalFps, samplingFps: f.samplingFps };
          const prompt = o.mode === 'close' ? closePrompt(f.frames, ctx) : openPrompt(f.frames, ctx);
          const reply = await o.backend.answer({ frames: f.frames, prompt, system: SYSTEM_PROMPT });
          cached = { id, backend: o.backend.id, mode: o.mode, reply };
          if (o.mode === 'open' && key !== null) {
            const marked = await markOpenAnswer(o.judge, { question: item.question_text, reference: item.answer!.answer_text ?? '', detailed: item.answer!.detailed_answer, prediction: reply });
            cached = { ...cached, judge: marked.replies, mark: marked.mark };
          }
          await cache.put(cached);
          answeredNow++;
        }
        r.reply = cached.reply;
        if (o.mode === 'close') {
          r.lenientLetter = lenientPrediction(cached.reply);
          if (key !== null) {
            r.strict = strictCorrect(cached.reply, key);
            r.lenient = r.lenientLetter === key;
          }
        } else if (key !== null) {
          r.judge = cached.judge;
          r.mark = cached.mark;
        }
      }
      if (encoder) {
        const b = await baselineAnswer(encoder, (await getFrames()).frames, item.question_text, parsedOptions);
        r.baseline = { letter: b.letter, correct: key === null ? null : strictCorrect(b.reply, key), scores: b.scores };
      }
      results[k] = r;
      o.onProgress?.({ task: 'answering', done: ++done, total: items.length, unit: 'questions' });
    };
    // After a failure no new item starts; those in flight finish and are kept, then the error is reported.
    await Promise.all(items.map((item, k) => limit(() => run(item, k))));
    if (failure) {
      if (failure instanceof VidlensError && o.backend) {
        const kept = o.out ? `; the ${answeredNow} answered now are kept in ${join(o.out, 'replies.jsonl')} and a rerun resumes from there` : '; pass --out DIR to keep replies across runs';
        throw new VidlensError(`${failure.message}${kept}`, { kind: failure.kind, cause: failure });
      }
      throw failure;
    }

    const withModel = !!o.backend && scored;
    if (o.out) await writePredictions(join(o.out, 'predictions.jsonl'), results);
    const perGroup = (key: (r: QaDetail) => string) => {
      const out: Record<string, { n: number; metrics: QaMetrics }> = {};
      for (const [name, idx] of sliceBy(results, key)) out[name] = { n: idx.length, metrics: summarise(idx.map((i) => results[i]), o.mode, withModel) };
      return out;
    };
    const text = await readFile(o.dataset);
    return {
      kind: 'qa',
      ...reportHeader({
        // The model under test is the chat model; without one, the baseline encoder is what was measured.
        model: o.backend ? { id: o.backend.id } : encoder ? encoderRef(encoder) : null,
        dataset: { path: resolve(o.dataset), sha256: createHash('sha256').update(text).digest('hex'), n: results.length, format: 'egocross' },
        config: { mode: o.mode, scored, skipped: skipped.map((s) => s.reason), backend: o.backend?.id ?? null, judge: o.judge?.id ?? null, maxSide, framesFps: o.framesFps ?? 1, baseline: encoder ? { db: o.db, model: encoderRef(encoder) } : null },
        definitions: QA_DEFINITIONS,
        warnings: skipped.length ? [`skipped ${skipped.length} question(s) whose frames or video do not exist (listed in the report's config.skipped), e.g. ${skipped[0].reason}`] : [],
      }),
      metrics: { ...summarise(results, o.mode, withModel), categories: perGroup((r) => r.category) },
      domains: perGroup((r) => r.domain),
      details: results.map((r) => ({ ...r })),
    };
  } finally {
    await encoder?.dispose();
  }
}
