import { config } from '../../core/config.js';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { TrainRetrievalOptions } from '../../train/retrieval.js';
import type { TrainRerankOptions } from '../../train/rerank.js';
import { READOUT_DEFAULTS, READOUT_LR, RERANK_DEFAULTS, RETRIEVAL_DEFAULTS, TEMPORAL_WIDTH } from '../../train/defaults.js';
import type { ReadoutHead } from '../../train/readout.js';
import { printJson, printLine } from '../output.js';
import { nonNegativeInteger, positiveInteger, positiveNumber } from '../parse.js';
import { outputFolder } from '../outputs.js';
import { progressBar, trainingProgress } from '../progress.js';
import { EVAL_RERANK_K } from '../../eval/rerank.js';
import { usageError } from '../../core/errors.js';
import type { MultiLabelMetrics } from '../../eval/metrics/classification.js';
import { registerTrainReadouts } from './readout-tasks.js';

/** Commander fills every option that has a default; the rest stay optional. */
type TrainFlags = Omit<TrainRetrievalOptions, 'onEpoch' | 'onProgress'> &
  Required<Pick<TrainRetrievalOptions, 'epochs' | 'batchSize' | 'lr' | 'temperature' | 'margin' | 'patience' | 'seed' | 'metaShare'>> & { json?: boolean; temporal?: true | number };

/** The options every trainer on captioned clips (retrieval adapter, reranker) shares. */
function captionedClipOptions(command: Command, writes: string, relevancyUse: string): Command {
  return command
    .requiredOption('--dataset <clips.jsonl>', 'labelled clips with captions and "split": "train" / "val" (else a seeded 80/20 split)')
    .requiredOption('--out <dir>', `${writes} folder to write`)
    .option('--db <dir>', 'index whose model gives the frozen features (clips are embedded and cached there)', config.db())
    .option('--relevancy <file.npy>', `soft relevancy (clips × captions) for ${relevancyUse} and validation, instead of label overlap`)
    .option('--model <id|dir>', "model for a new index (default: the index's)");
}

/** The options every classifier on one label family (readout, probe) shares. */
function labelledClipOptions(command: Command, example: string): Command {
  return command
    .requiredOption('--dataset <clips.jsonl>', 'labelled clips with "split": "train" / "val" / "test"')
    .requiredOption('--label-prefix <prefix>', `the label family to classify, e.g. ${example}`)
    .option('--db <dir>', 'index whose model gives the frozen features', config.db())
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .option('--out <dir>', "save the classifier (for 'vidlens eval classify --adapter DIR')");
}

/** One bar for a training run: frames while clips are embedded, then epochs with the loss and the validation score. */
type TestMetrics = { acc1: number; mean_per_class_recall: number };

/** A classifier's test result, overall then per domain, against chance. */
function printClassifierTest(summary: { classes: string[]; test: TestMetrics & { n: number }; domains: Record<string, { n: number; metrics: TestMetrics }>; out: string | null }): void {
  const chance = (100 / summary.classes.length).toFixed(1);
  const line = (name: string, n: number, m: TestMetrics) => printLine(`${name.padEnd(10)} n=${String(n).padEnd(4)} acc1 ${m.acc1.toFixed(1)}  mean per-class recall ${m.mean_per_class_recall.toFixed(1)}  (chance ${chance})`);
  line('test', summary.test.n, summary.test);
  for (const [d, s] of Object.entries(summary.domains)) line(d, s.n, s.metrics);
  if (summary.out) printLine(`wrote ${summary.out}`);
}

function printMultiLabelTest(summary: { test: MultiLabelMetrics; domains: Record<string, { n: number; metrics: MultiLabelMetrics }>; out: string | null }): void {
  const line = (name: string, n: number, m: MultiLabelMetrics) => printLine(`${name.padEnd(10)} n=${String(n).padEnd(4)} mAP ${m.mAP.toFixed(1)}  (label-frequency control ${m.control_mAP.toFixed(1)})`);
  line('test', summary.test.n, summary.test);
  for (const [d, s] of Object.entries(summary.domains)) line(d, s.n, s.metrics);
  if (summary.out) printLine(`wrote ${summary.out}`);
}

/** The loop options the two trainers on captioned clips share, with that trainer's defaults. */
function contrastiveOptions(command: Command, d: { epochs: number; batchSize: number; lr: number; temperature: number; patience: number; seed: number }, batch: string, temperature: string): Command {
  return command
    .option('--epochs <n>', 'maximum epochs', positiveInteger, d.epochs)
    .option('--batch-size <n>', batch, positiveInteger, d.batchSize)
    .option('--lr <x>', 'Adam learning rate', positiveNumber, d.lr)
    .option('--temperature <x>', temperature, positiveNumber, d.temperature)
    .option('--patience <n>', 'epochs without validation improvement before stopping', positiveInteger, d.patience)
    .option('--seed <n>', 'random seed', nonNegativeInteger, d.seed)
    .option('--json', 'print one JSON document');
}

export function registerTrain(program: Command): void {
  const train = program.command('train').description('adapt to your domain from a few labels, on frozen features');
  const retrieval = train
    .command('retrieval')
    .description('train a retrieval adapter (a linear head per modality starting at the identity, the video side optionally through a temporal head) with InfoNCE, SMS or an angular margin');
  captionedClipOptions(retrieval, 'adapter', 'SMS')
    .addOption(new Option('--loss <loss>', 'training loss').choices(['infonce', 'sms', 'angular', 'angular-meta']).default('infonce'));
  contrastiveOptions(retrieval, RETRIEVAL_DEFAULTS, 'pairs per step', 'InfoNCE / angular temperature τ')
    .option('--margin <x>', 'angular margin μ (radians)', positiveNumber, RETRIEVAL_DEFAULTS.margin)
    .option('--temporal [width]', `pool the video side's frames through a temporal self-attention head (zero-initialised residual) of this attention width (default ${TEMPORAL_WIDTH})`, positiveInteger)
    .option('--meta-share <x>', 'angular-meta: share of training clips held out as the clean meta set when none is marked "split": "meta"', positiveNumber, RETRIEVAL_DEFAULTS.metaShare)
    .addHelpText('after', '\nExample:\n  vidlens train retrieval --dataset synth/clips.jsonl --relevancy synth/relevancy.npy --loss sms --out adapters/sms\n  vidlens eval retrieval --dataset synth/clips.jsonl --adapter adapters/sms')
    .action(async (flags: TrainFlags) => {
      outputFolder('--out', flags.out);
      const { trainRetrieval } = await import('../../train/retrieval.js');
      const { bar, onProgress, onEpoch } = trainingProgress((v) => `val mAP ${v.toFixed(4)}`);
      const summary = await trainRetrieval({ ...flags, onProgress, onEpoch }).finally(() => bar.stop());
      if (flags.json) return printJson(summary);
      printLine(`trained a ${summary.loss} adapter${summary.temporal ? ` with a temporal head (width ${summary.temporal.width})` : ''} on ${summary.train.clips} clips (${summary.backend} backend) in ${summary.seconds.toFixed(1)} s`);
      printLine(`validation ${summary.metric}: zero-shot ${summary.zeroShot.toFixed(4)} → best ${summary.best.toFixed(4)} at epoch ${summary.bestEpoch} of ${summary.epochs}`);
      if (summary.weightCurve) printLine(`learned sample weight by loss: ${summary.weightCurve.map((p) => `${p.loss.toFixed(2)}→${p.weight.toFixed(2)}`).join('  ')}`);
      printLine(`wrote ${summary.out}`);
    });

  const rerank = train
    .command('rerank')
    .description('train a cross-modal refinement reranker that re-scores the top results of a first-stage search');
  captionedClipOptions(rerank, 'reranker', 'the targets');
  contrastiveOptions(rerank, RERANK_DEFAULTS, 'captions per step', 'softmax temperature over the candidates')
    .option('--candidates <n>', "candidates per training caption: its own clip and the first stage's hardest others", positiveInteger, RERANK_DEFAULTS.candidates)
    .option('--adapter <dir>', 'rerank this retrieval adapter\'s first stage instead of the frozen model (search and eval then need the same --adapter)')
    .option('--rerank-k <n>', `first-stage results re-scored per validation caption (default ${EVAL_RERANK_K})`, positiveInteger)
    .option('--width <n>', 'refinement width (both sides are projected to it)', positiveInteger, RERANK_DEFAULTS.width)
    .option('--heads <n>', 'cross-attention heads', positiveInteger, RERANK_DEFAULTS.heads)
    .addHelpText('after', '\nExample:\n  vidlens train rerank --dataset synth/clips.jsonl --relevancy synth/relevancy.npy --out rerankers/r1\n  vidlens eval retrieval --dataset synth/clips.jsonl --reranker rerankers/r1\n  vidlens search "a red circle moves left" --reranker rerankers/r1')
    .action(async (flags: Omit<TrainRerankOptions, 'onEpoch' | 'onProgress'> & { json?: boolean }) => {
      outputFolder('--out', flags.out);
      const { trainRerank } = await import('../../train/rerank.js');
      const { bar, onProgress, onEpoch } = trainingProgress((v) => `val mAP ${v.toFixed(4)}`);
      const summary = await trainRerank({ ...flags, onProgress, onEpoch }).finally(() => bar.stop());
      if (flags.json) return printJson(summary);
      printLine(`trained a reranker (width ${summary.shape.width}, ${summary.shape.heads} heads) on ${summary.train.captions} captions (${summary.backend} backend) in ${summary.seconds.toFixed(1)} s`);
      printLine(`validation ${summary.metric}: first stage ${summary.firstStage.toFixed(4)} → best ${summary.best.toFixed(4)} at epoch ${summary.bestEpoch} of ${summary.epochs}`);
      printLine(`wrote ${summary.out}`);
    });

  const readout = train
    .command('readout')
    .description('classify clips from frozen per-frame features: mean pooling + linear (SciVid linear readout), a degradation-free temporal head, or SciVid\'s attentive readout');
  labelledClipOptions(readout, 'motion:')
    .addOption(new Option('--head <head>', 'mean: linear readout on mean-pooled frames; temporal: temporal self-attention residual (zero-initialised) first; attentive: learned queries cross-attend over the frames (SciVid)').choices(['mean', 'temporal', 'attentive']).default('temporal'))
    .option('--epochs <n>', 'maximum epochs', positiveInteger, READOUT_DEFAULTS.epochs)
    .option('--lr <x>', 'peak AdamW learning rate (5 % linear warmup, cosine decay; weight decay 1e-4)', positiveNumber, READOUT_LR)
    .option('--seed <n>', 'random seed', nonNegativeInteger, READOUT_DEFAULTS.seed)
    .option('--multi-label', 'every label of the family is a class and a clip may have several: a sigmoid per class (binary cross-entropy), validated and tested by mAP')
    .option('--background <label>', 'with --multi-label: a class left out of the test mAP (e.g. behaviour:none)')
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExample:\n  vidlens train readout --dataset synth/clips.jsonl --label-prefix motion: --head temporal --out classifiers/motion\n  vidlens eval classify --dataset synth/clips.jsonl --split test --adapter classifiers/motion\n  vidlens train readout --dataset behaviour.jsonl --label-prefix behaviour: --multi-label --background behaviour:none --out classifiers/behaviour')
    .action(async (flags: { db: string; dataset: string; labelPrefix: string; head: ReadoutHead; model?: string; epochs: number; lr: number; seed: number; multiLabel?: boolean; background?: string; out?: string; json?: boolean }) => {
      outputFolder('--out', flags.out);
      if (flags.background !== undefined && !flags.multiLabel) throw usageError('--background: only with --multi-label');
      const { trainReadout } = await import('../../train/run-classifiers.js');
      const { bar, onProgress, onEpoch } = trainingProgress((v) => (flags.multiLabel ? `val mAP ${(100 * v).toFixed(1)} %` : `val acc ${(100 * v).toFixed(1)} %`));
      const summary = await trainReadout({ ...flags, onProgress, onEpoch }).finally(() => bar.stop());
      if (flags.json) return printJson(summary);
      printLine(`${summary.head} readout over ${summary.classes.length} classes (${summary.backend}): best validation ${summary.multiLabel ? 'mAP' : 'accuracy'} ${(100 * summary.valAccuracy).toFixed(1)} % at epoch ${summary.bestEpoch}`);
      if (summary.multiLabel) printMultiLabelTest(summary);
      else printClassifierTest(summary);
    });

  registerTrainReadouts(train);

  const probe = train
    .command('probe')
    .description('linear probe: logistic regression on frozen mean-pooled features, L2 strength chosen on validation by a sweep, refit on train+val');
  labelledClipOptions(probe, 'color:')
    .option('--json', 'print one JSON document')
    .action(async (flags: { db: string; dataset: string; labelPrefix: string; model?: string; out?: string; json?: boolean }) => {
      outputFolder('--out', flags.out);
      const { trainProbe } = await import('../../train/run-classifiers.js');
      const bar = progressBar();
      const summary = await trainProbe({ ...flags, onProgress: bar.update }).finally(() => bar.stop());
      if (flags.json) return printJson(summary);
      printLine(`linear probe over ${summary.classes.length} classes: λ = ${summary.lambda.toExponential(2)} chosen from ${summary.sweep.length} values (validation accuracy ${(100 * summary.valAccuracy).toFixed(1)} %)`);
      printClassifierTest(summary);
    });
}
