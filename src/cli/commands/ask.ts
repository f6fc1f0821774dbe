import { config } from '../../core/config.js';
import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { parseOption } from '../../eval/datasets/egocross.js';
import { lenientPrediction, replyField, strictPrediction } from '../../eval/metrics/qa.js';
import { closePrompt, openPrompt, SYSTEM_PROMPT } from '../../qa/prompts.js';
import { addLlmOptions, llmBackend, type LlmFlags } from '../llm.js';
import { printJson, printLine } from '../output.js';
import { nonNegativeNumber, positiveInteger, positiveNumber } from '../parse.js';

interface AskFlags extends LlmFlags {
  start?: number;
  end?: number;
  options?: string;
  frames?: number;
  fps?: number;
  maxSide: number;
  db: string;
  json?: boolean;
}

/** Splits `"A: 4,B: 3,C: 1"` before each letter label, so option texts may contain commas. */
export function splitOptions(value: string): Array<{ letter: string; text: string; raw: string }> {
  return value
    .split(/,(?=\s*[A-Z]\s*[:.)])/)
    .map((raw) => raw.trim())
    .filter(Boolean)
    .map((raw) => ({ ...parseOption(raw, '--options'), raw }));
}

export function registerAsk(program: Command): void {
  const command = program
    .command('ask')
    .description('ask a question about a video (span) with a multimodal LLM; with --options, a multiple-choice answer')
    .argument('<video>', 'video file')
    .argument('<question>', 'the question')
    .option('--start <s>', 'span start, seconds', nonNegativeNumber)
    .option('--end <s>', 'span end, seconds', nonNegativeNumber)
    .option('--options <list>', 'answer options, e.g. "A: 4,B: 3,C: 1,D: 2"')
    .option('--frames <n>', 'frames sampled uniformly over the span (default 8)', positiveInteger)
    .option('--fps <n>', 'sample at this rate instead (EgoCross uses 0.5–1)', positiveNumber)
    .option('--max-side <px>', 'longest side of frames sent to the model', positiveInteger, 448)
    .option('--db <dir>', 'index whose encoder answers offline (multiple choice only) when no --llm-url is given', config.db())
    .option('--json', 'print one JSON document');
  addLlmOptions(command, false)
    .addHelpText('after', '\nExamples:\n  vidlens ask clip.mp4 "How many instruments are visible?" --llm-url http://localhost:8000/v1 --llm-model Qwen/Qwen2.5-VL-7B-Instruct\n  vidlens ask clip.mp4 "What happens next?" --options "A: he sits,B: he runs" --fps 1')
    .action(async (video: string, question: string, flags: AskFlags) => {
      if (!question.trim()) throw usageError('<question>: the question is empty');
      if (flags.start !== undefined && flags.end !== undefined && flags.end <= flags.start) throw usageError(`--end ${flags.end}: must be after --start ${flags.start}`);
      const { baselineAnswer } = await import('../../qa/baseline.js');
      const { framesFromVideo } = await import('../../qa/frames.js');
      const options = flags.options ? splitOptions(flags.options) : undefined;
      const selected = await framesFromVideo(video, { start: flags.start, end: flags.end, count: flags.frames, fps: flags.fps, maxSide: flags.maxSide });
      const backend = llmBackend(flags);
      const times = selected.frames.map((f) => Number(f.time.toFixed(3)));
      let answer: string;
      let source: string;
      if (backend) {
        const ctx = { question, options: options?.map((o) => o.raw), originalFps: selected.originalFps, samplingFps: selected.samplingFps };
        const prompt = options ? closePrompt(selected.frames, ctx) : openPrompt(selected.frames, ctx);
        answer = await backend.answer({ frames: selected.frames, prompt, system: SYSTEM_PROMPT });
        source = backend.id;
      } else {
        if (!options) throw usageError('--llm-url and --llm-model are required for open questions (the offline baseline needs --options)');
        const { withSession } = await import('../../app/session.js');
        ({ answer, source } = await withSession(flags.db, {}, async ({ encoder }) => ({
          answer: (await baselineAnswer(encoder, selected.frames, question, options)).reply,
          source: `baseline:${encoder.manifest.id}`,
        })));
      }
      const prediction = options ? (strictPrediction(answer)?.toUpperCase() ?? lenientPrediction(answer)) : undefined;
      if (flags.json) {
        printJson({ video, question, options: options?.map((o) => o.raw) ?? null, answer, prediction: prediction ?? null, source, frames: times });
        return;
      }
      // A person reads the chosen option and the model's reason; the raw reply only when no letter can be read from it.
      if (!options) printLine(answer);
      else if (!prediction) printLine(`no option letter found in the reply: ${answer}`);
      else {
        printLine(`${prediction}: ${options.find((o) => o.letter === prediction)?.text ?? '(not one of the options)'}`);
        const reason = replyField(answer, 'reason');
        if (typeof reason === 'string' && reason.trim()) printLine(`reason: ${reason.trim()}`);
      }
      printLine(`(${source}, ${times.length} frame${times.length === 1 ? '' : 's'} from ${times[0].toFixed(2)} to ${times.at(-1)!.toFixed(2)} s)`);
    });
}
