import { config } from '../../core/config.js';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { addLlmOptions, judgeBackend, llmBackend, type LlmFlags } from '../llm.js';
import type { RetrievalFormat } from '../../eval/run-retrieval.js';
import type { TiePolicy } from '../../eval/metrics/retrieval.js';
import { usageError } from '../../core/errors.js';
import { positiveInteger, positiveNumber } from '../parse.js';
import { outputFile, outputFolder } from '../outputs.js';
import { finishReport } from '../report-output.js';
import { progressBar } from '../progress.js';
import { EVAL_RERANK_K } from '../../eval/rerank.js';
import { DEFAULT_PROMPT } from '../../eval/prompts.js';
import { registerEvalReadouts } from './readout-tasks.js';

interface CommonFlags {
  db: string;
  dataset: string;
  model?: string;
  out?: string;
  json?: boolean;
}

export function registerEval(program: Command): void {
  const evalCommand = program.command('eval').description('measure a model on labelled clips with published metrics');

  evalCommand
    .command('retrieval')
    .description('text↔video retrieval: R@K, MedR, MnR both ways, and EK100 mAP/nDCG with soft relevance, overall and per domain')
    .requiredOption('--dataset <file>', 'clips.jsonl (user format), an MSR-VTT 1k-A CSV, or EPIC_100_retrieval_test.csv')
    .option('--db <dir>', 'index folder: its model and sampling are used, clip features are cached there', config.db())
    .addOption(new Option('--format <format>', 'dataset format (default: from the file name)').choices(['jsonl', 'msrvtt', 'ek100']))
    .option('--videos-root <dir>', 'msrvtt/ek100: folder of the benchmark videos')
    .option('--sentences <csv>', 'ek100: EPIC_100_retrieval_test_sentence.csv')
    .option('--relevancy <file.npy>', 'relevancy matrix (clips × captions) instead of label overlap')
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .addOption(new Option('--ties <policy>', 'rank of a ground truth tied with others').choices(['optimistic', 'average']).default('optimistic'))
    .option('--split <name>', 'evaluate only clips with this "split" (e.g. test; JSONL datasets)')
    .option('--skip-missing', 'leave out clips whose video does not exist (listed in the report) instead of refusing the dataset')
    .option('--limit <n>', 'evaluate only the first N clips', positiveInteger)
    .option('--save-sim <file.npy>', 'write the similarity matrix (captions × clips, float32: metrics retrieval reads it as is, metrics mir with --sim-layout sentences-videos)')
    .option('--adapter <dir>', "apply a retrieval adapter from 'vidlens train retrieval'")
    .option('--reranker <dir>', "re-score each query's top results with a reranker from 'vidlens train rerank' (both directions)")
    .option('--rerank-k <n>', `results re-scored per query (default ${EVAL_RERANK_K})`, positiveInteger)
    .option('--out <dir>', 'write report.json and report.html here')
    .option('--json', 'print the report JSON')
    .addHelpText('after', '\nExamples:\n  vidlens eval retrieval --dataset clips.jsonl --out reports/zero-shot\n  vidlens eval retrieval --dataset synth/clips.jsonl --relevancy synth/relevancy.npy --json\n  vidlens eval retrieval --dataset synth/clips.jsonl --split test --adapter adapters/night')
    .action(async (flags: CommonFlags & { format?: RetrievalFormat; videosRoot?: string; sentences?: string; relevancy?: string; ties: TiePolicy; limit?: number; split?: string; skipMissing?: boolean; saveSim?: string; adapter?: string; reranker?: string; rerankK?: number }) => {
      outputFolder('--out', flags.out);
      outputFile('--save-sim', flags.saveSim);
      const { evalRetrieval } = await import('../../eval/run-retrieval.js');
      const bar = progressBar();
      const report = await evalRetrieval({ ...flags, onProgress: bar.update }).finally(() => bar.stop());
      await finishReport(report, flags);
    });

  evalCommand
    .command('moments')
    .description('moment retrieval in long videos: R@K at tIoU 0.3/0.5/0.7, mIoU and mAP of fixed windows, merged and refined spans, overall and per domain')
    .requiredOption('--dataset <file>', "moments.jsonl: {\"query\", \"video\", \"start\", \"end\" | \"windows\", \"domain\"} per line (vidlens synth --layout long writes one)")
    .option('--db <dir>', 'index folder holding the videos (indexed with vidlens index)', config.db())
    .addOption(new Option('--scope <scope>', 'corpus: search the whole index (a span counts only in the right video); video: search only the query\'s video').choices(['corpus', 'video']).default('corpus'))
    .option('--model <id|dir>', "model (default: the index's; another model is refused)")
    .option('--out <dir>', 'write report.json and report.html here')
    .option('--json', 'print the report JSON')
    .addHelpText('after', '\nExample:\n  vidlens synth --out long --layout long && vidlens index long/videos --db long/db --model ./synth-clip\n  vidlens eval moments --dataset long/moments.jsonl --db long/db --scope video --out reports/moments')
    .action(async (flags: CommonFlags & { scope: 'corpus' | 'video' }) => {
      outputFolder('--out', flags.out);
      const { runEvalMoments } = await import('../../eval/run-moments.js');
      const bar = progressBar();
      const report = await runEvalMoments({ ...flags, onProgress: bar.update }).finally(() => bar.stop());
      await finishReport(report, flags);
    });

  registerEvalReadouts(evalCommand);

  evalCommand
    .command('classify')
    .description('zero-shot classification of clips over their labels: acc1, acc5, mean per-class recall, overall and per domain')
    .requiredOption('--dataset <file>', 'clips.jsonl (user format) with labels')
    .option('--db <dir>', 'index folder: its model and sampling are used, clip features are cached there', config.db())
    .option('--prompts <template...>', 'prompt templates with {} for the class name', [DEFAULT_PROMPT])
    .option('--label-prefix <prefix>', 'classify over labels with this prefix only, e.g. motion:')
    .option('--adapter <dir>', "score with a classifier from 'vidlens train probe|readout --out DIR' instead of zero-shot prompts")
    .option('--split <name>', 'evaluate only clips with this "split" (e.g. test)')
    .option('--skip-missing', 'leave out clips whose video does not exist (listed in the report) instead of refusing the dataset')
    .option('--multi-label', 'every label of the family is a class and a clip may have several: mean average precision over classes (SciVid behaviour classification)')
    .option('--background <label>', 'with --multi-label: a class left out of the mean (e.g. behaviour:none)')
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .option('--out <dir>', 'write report.json and report.html here')
    .option('--json', 'print the report JSON')
    .addHelpText('after', '\nExample:\n  vidlens eval classify --dataset clips.jsonl --label-prefix motion: --prompts "a video of something {}" "{}" --out reports/motion\n  vidlens eval classify --dataset clips.jsonl --split test --adapter classifiers/motion\n  vidlens eval classify --dataset behaviour.jsonl --label-prefix behaviour: --multi-label --background behaviour:none')
    .action(async (flags: CommonFlags & { prompts: string[]; labelPrefix?: string; adapter?: string; split?: string; skipMissing?: boolean; multiLabel?: boolean; background?: string }) => {
      outputFolder('--out', flags.out);
      if (flags.background !== undefined && !flags.multiLabel) throw usageError('--background: only with --multi-label');
      const { classifierScorer } = await import('../../eval/classifier-scorer.js');
      const bar = progressBar();
      const scorer = flags.adapter ? await classifierScorer(flags.adapter, { multiLabel: flags.multiLabel ?? false }) : undefined;
      const run = flags.multiLabel
        ? import('../../eval/run-multilabel.js').then(({ evalMultiLabel }) => evalMultiLabel({ ...flags, scorer, onProgress: bar.update }))
        : import('../../eval/run-classify.js').then(({ evalClassify }) => evalClassify({ ...flags, scorer, onProgress: bar.update }));
      await finishReport(await run.finally(() => bar.stop()), flags);
    });

  const qa = evalCommand
    .command('qa')
    .description('question answering by the EgoCross protocol: CloseQA strict + lenient, or OpenQA with a judge; with the offline baseline row')
    .requiredOption('--dataset <qa.json>', 'questions in the EgoCross format')
    .option('--answers <answers.json>', 'answers (correct_option_letter, answer_text, detailed_answer); without them the run only predicts (predictions.jsonl with --out)')
    .addOption(new Option('--mode <mode>', 'close: multiple choice; open: free text marked by a judge').choices(['close', 'open']).default('close'))
    .option('--frames-root <dir>', 'folder the items\' frame paths are relative to (default: the dataset\'s folder)')
    .option('--frames-anywhere', 'also read frame files outside --frames-root (or the dataset\'s folder); they are sent to --llm-url')
    .option('--frames-fps <n>', 'rate of the listed frames when items do not give their times', positiveNumber, 1)
    .option('--max-side <px>', 'longest side of frames sent to the model', positiveInteger, 448)
    .option('--db <dir>', "index whose encoder runs the offline baseline (skipped when the index does not exist)", config.db())
    .option('--limit <n>', 'only the first N questions', positiveInteger)
    .option('--skip-missing', 'leave out questions whose frame files or video do not exist (listed in the report) instead of stopping')
    .option('--out <dir>', 'write report.json, report.html and replies.jsonl here (reruns resume from replies.jsonl)')
    .option('--json', 'print the report JSON');
  addLlmOptions(qa, true)
    .addHelpText('after', '\nExamples:\n  vidlens eval qa --dataset synth/qa.json --answers synth/qa_answers.json --out reports/qa-baseline\n  vidlens eval qa --dataset egocross_testbed_imgs.json --answers answers.json --frames-root ~/egocross --llm-url http://localhost:8000/v1 --llm-model Qwen/Qwen2.5-VL-7B-Instruct --out reports/qwen')
    .action(async (flags: CommonFlags & LlmFlags & { answers?: string; mode: 'close' | 'open'; framesRoot?: string; framesAnywhere?: boolean; framesFps: number; maxSide: number; limit?: number; skipMissing?: boolean }) => {
      outputFolder('--out', flags.out);
      const { evalQa } = await import('../../qa/run-eval.js');
      const bar = progressBar();
      const report = await evalQa({
        dataset: flags.dataset,
        answers: flags.answers,
        mode: flags.mode,
        backend: llmBackend(flags),
        judge: judgeBackend(flags),
        db: existsSync(flags.db) ? flags.db : undefined,
        framesRoot: flags.framesRoot,
        framesAnywhere: flags.framesAnywhere,
        framesFps: flags.framesFps,
        maxSide: flags.maxSide,
        limit: flags.limit,
        skipMissing: flags.skipMissing,
        out: flags.out,
        onProgress: bar.update,
      }).finally(() => bar.stop());
      await finishReport(report, flags);
    });
}
