import type { Command } from 'commander';
import { Option } from 'commander';
import { trainRetrieval, type TrainRetrievalOptions } from '../../train/retrieval.js';
import { trainRerank, type TrainRerankOptions } from '../../train/rerank.js';
import { trainProbe, trainReadout } from '../../train/run-classifiers.js';
import { READOUT_LR, type ReadoutHead } from '../../train/readout.js';
import { printJson, printLine } from '../output.js';
import { DEFAULT_DB, nonNegativeInteger, positiveInteger, positiveNumber } from '../parse.js';
import { progressBar } from '../progress.js';

/** Commander fills every option that has a default; the rest stay optional. */
type TrainFlags = Omit<TrainRetrievalOptions, 'onEpoch' | 'onProgress'> &
  Required<Pick<TrainRetrievalOptions, 'epochs' | 'batchSize' | 'lr' | 'temperature' | 'margin' | 'patience' | 'seed' | 'metaShare'>> & { json?: boolean; temporal?: true | number };

export function registerTrain(program: Command): void {
  const train = program.command('train').description('adapt to your domain from a few labels, on frozen features');
  train
    .command('retrieval')
    .description('train a retrieval adapter (a linear head per modality starting at the identity, the video side optionally through a temporal head) with InfoNCE, SMS or an angular margin')
    .requiredOption('--dataset <clips.jsonl>', 'labelled clips with captions and "split": "train" / "val" (else a seeded 80/20 split)')
    .requiredOption('--out <dir>', 'adapter folder to write')
    .option('--db <dir>', "index whose model gives the frozen features (clips are embedded and cached there)", DEFAULT_DB)
    .addOption(new Option('--loss <loss>', 'training loss').choices(['infonce', 'sms', 'angular', 'angular-meta']).default('infonce'))
    .option('--relevancy <file.npy>', 'soft relevancy (clips × captions) for SMS and validation, instead of label overlap')
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .option('--epochs <n>', 'maximum epochs', positiveInteger, 20)
    .option('--batch-size <n>', 'pairs per step', positiveInteger, 128)
    .option('--lr <x>', 'Adam learning rate', positiveNumber, 1e-3)
    .option('--temperature <x>', 'InfoNCE / angular temperature τ', positiveNumber, 0.05)
    .option('--margin <x>', 'angular margin μ (radians)', positiveNumber, 0.2)
    .option('--patience <n>', 'epochs without validation improvement before stopping', positiveInteger, 3)
    .option('--temporal [width]', 'pool the video side\'s frames through a temporal self-attention head (zero-initialised residual) of this attention width', positiveInteger)
    .option('--meta-share <x>', 'angular-meta: share of training clips held out as the clean meta set when none is marked "split": "meta"', positiveNumber, 0.1)
    .option('--seed <n>', 'random seed (batches, positive sampling)', nonNegativeInteger, 0)
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExample:\n  vidlens train retrieval --dataset synth/clips.jsonl --relevancy synth/relevancy.npy --loss sms --out adapters/sms\n  vidlens eval retrieval --dataset synth/clips.jsonl --adapter adapters/sms')
    .action(async (flags: TrainFlags) => {
      const bar = progressBar('epochs');
      const summary = await trainRetrieval({
        ...flags,
        temporalWidth: flags.temporal === undefined ? undefined : flags.temporal === true ? 64 : flags.temporal,
        onProgress: (d, t, label) => bar.update(d, t, label, '', 'frames'),
        onEpoch: (e) => bar.update(e.epoch, e.epochs, 'training', `loss ${e.loss.toFixed(4)} · val mAP ${e.validation.toFixed(4)}`, 'epochs'),
      }).finally(() => bar.stop());
      if (flags.json) return printJson(summary);
      printLine(`trained a ${summary.loss} adapter${summary.temporal ? ` with a temporal head (width ${summary.temporal.width})` : ''} on ${summary.train.clips} clips (${summary.backend} backend) in ${summary.seconds.toFixed(1)} s`);
      printLine(`validation ${summary.metric}: zero-shot ${summary.zeroShot.toFixed(4)} → best ${summary.best.toFixed(4)} at epoch ${summary.bestEpoch} of ${summary.epochs}`);
      if (summary.weightCurve) printLine(`learned sample weight by loss: ${summary.weightCurve.map((p) => `${p.loss.toFixed(2)}→${p.weight.toFixed(2)}`).join('  ')}`);
      printLine(`wrote ${summary.out}`);
    });

  train
    .command('rerank')
    .description('train a cross-modal refinement reranker that re-scores the top results of a first-stage search')
    .requiredOption('--dataset <clips.jsonl>', 'labelled clips with captions and "split": "train" / "val" (else a seeded 80/20 split)')
    .requiredOption('--out <dir>', 'reranker folder to write')
    .option('--db <dir>', 'index whose model gives the frozen features (clips are embedded and cached there)', DEFAULT_DB)
    .option('--relevancy <file.npy>', 'soft relevancy (clips × captions) for the targets and validation, instead of label overlap')
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .option('--epochs <n>', 'maximum epochs', positiveInteger, 10)
    .option('--batch-size <n>', 'captions per step', positiveInteger, 16)
    .option('--candidates <n>', "candidates per training caption: its own clip and the frozen model's hardest others", positiveInteger, 16)
    .option('--rerank-k <n>', 'first-stage results re-scored per validation caption', positiveInteger, 20)
    .option('--width <n>', 'refinement width (both sides are projected to it)', positiveInteger, 64)
    .option('--heads <n>', 'cross-attention heads', positiveInteger, 4)
    .option('--lr <x>', 'Adam learning rate', positiveNumber, 1e-3)
    .option('--temperature <x>', 'softmax temperature over the candidates', positiveNumber, 0.05)
    .option('--patience <n>', 'epochs without validation improvement before stopping', positiveInteger, 3)
    .option('--seed <n>', 'random seed', nonNegativeInteger, 0)
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExample:\n  vidlens train rerank --dataset synth/clips.jsonl --relevancy synth/relevancy.npy --out rerankers/r1\n  vidlens eval retrieval --dataset synth/clips.jsonl --reranker rerankers/r1\n  vidlens search "a red circle moves left" --reranker rerankers/r1')
    .action(async (flags: Omit<TrainRerankOptions, 'onEpoch' | 'onProgress'> & { json?: boolean }) => {
      const bar = progressBar('epochs');
      const summary = await trainRerank({
        ...flags,
        onProgress: (d, t, label) => bar.update(d, t, label, '', 'frames'),
        onEpoch: (e) => bar.update(e.epoch, e.epochs, 'training', `loss ${e.loss.toFixed(4)} · val mAP ${e.validation.toFixed(4)}`, 'epochs'),
      }).finally(() => bar.stop());
      if (flags.json) return printJson(summary);
      printLine(`trained a reranker (width ${summary.shape.width}, ${summary.shape.heads} heads) on ${summary.train.captions} captions (${summary.backend} backend) in ${summary.seconds.toFixed(1)} s`);
      printLine(`validation ${summary.metric}: first stage ${summary.firstStage.toFixed(4)} → best ${summary.best.toFixed(4)} at epoch ${summary.bestEpoch} of ${summary.epochs}`);
      printLine(`wrote ${summary.out}`);
    });

  train
    .command('readout')
    .description('classify clips from frozen per-frame features: mean pooling + linear (SciVid linear readout), a degradation-free temporal head, or SciVid\'s attentive readout')
    .requiredOption('--dataset <clips.jsonl>', 'labelled clips with "split": "train" / "val" / "test"')
    .requiredOption('--label-prefix <prefix>', 'the label family to classify, e.g. motion:')
    .option('--db <dir>', 'index whose model gives the frozen features', DEFAULT_DB)
    .addOption(new Option('--head <head>', 'mean: linear readout on mean-pooled frames; temporal: temporal self-attention residual (zero-initialised) first; attentive: learned queries cross-attend over the frames (SciVid)').choices(['mean', 'temporal', 'attentive']).default('temporal'))
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .option('--epochs <n>', 'maximum epochs', positiveInteger, 150)
    .option('--lr <x>', 'peak AdamW learning rate (5 % linear warmup, cosine decay; weight decay 1e-4)', positiveNumber, READOUT_LR)
    .option('--seed <n>', 'random seed', nonNegativeInteger, 0)
    .option('--out <dir>', "save the classifier (for 'vidlens eval classify --adapter DIR')")
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExample:\n  vidlens train readout --dataset synth/clips.jsonl --label-prefix motion: --head temporal --out classifiers/motion\n  vidlens eval classify --dataset synth/clips.jsonl --split test --adapter classifiers/motion')
    .action(async (flags: { db: string; dataset: string; labelPrefix: string; head: ReadoutHead; model?: string; epochs: number; lr: number; seed: number; out?: string; json?: boolean }) => {
      const bar = progressBar('frames');
      const summary = await trainReadout({
        ...flags,
        onProgress: (d, t, label) => bar.update(d, t, label),
        onEpoch: (e) => bar.update(e.epoch, e.epochs, 'training', `loss ${e.loss.toFixed(4)} · val acc ${(100 * e.validation).toFixed(1)} %`, 'epochs'),
      }).finally(() => bar.stop());
      if (flags.json) return printJson(summary);
      printLine(`${summary.head} readout over ${summary.classes.length} classes (${summary.backend}): best validation accuracy ${(100 * summary.valAccuracy).toFixed(1)} % at epoch ${summary.bestEpoch}`);
      const line = (name: string, n: number, m: { acc1: number; mean_per_class_recall: number }) => printLine(`${name.padEnd(10)} n=${String(n).padEnd(4)} acc1 ${m.acc1.toFixed(1)}  mean per-class recall ${m.mean_per_class_recall.toFixed(1)}  (chance ${(100 / summary.classes.length).toFixed(1)})`);
      line('test', summary.test.n, summary.test);
      for (const [d, s] of Object.entries(summary.domains)) line(d, s.n, s.metrics);
      if (summary.out) printLine(`wrote ${summary.out}`);
    });

  train
    .command('probe')
    .description('linear probe: logistic regression on frozen mean-pooled features, L2 strength chosen on validation by a sweep, refit on train+val')
    .requiredOption('--dataset <clips.jsonl>', 'labelled clips with "split": "train" / "val" / "test"')
    .requiredOption('--label-prefix <prefix>', 'the label family to classify, e.g. color:')
    .option('--db <dir>', 'index whose model gives the frozen features', DEFAULT_DB)
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .option('--out <dir>', "save the classifier (for 'vidlens eval classify --adapter DIR')")
    .option('--json', 'print one JSON document')
    .action(async (flags: { db: string; dataset: string; labelPrefix: string; model?: string; out?: string; json?: boolean }) => {
      const bar = progressBar('frames');
      const summary = await trainProbe({ ...flags, onProgress: (d, t, label) => (label.startsWith('embedding') ? bar.update(d, t, label) : bar.update(d, t, 'sweep', label, 'fits')) }).finally(() => bar.stop());
      if (flags.json) return printJson(summary);
      printLine(`linear probe over ${summary.classes.length} classes: λ = ${summary.lambda.toExponential(2)} chosen from ${summary.sweep.length} values (validation accuracy ${(100 * summary.valAccuracy).toFixed(1)} %)`);
      printLine(`test       n=${summary.test.n}  acc1 ${summary.test.acc1.toFixed(1)}  mean per-class recall ${summary.test.mean_per_class_recall.toFixed(1)}  (chance ${(100 / summary.classes.length).toFixed(1)})`);
      for (const [d, s] of Object.entries(summary.domains)) printLine(`${d.padEnd(10)} n=${s.n}  acc1 ${s.metrics.acc1.toFixed(1)}  mean per-class recall ${s.metrics.mean_per_class_recall.toFixed(1)}`);
      if (summary.out) printLine(`wrote ${summary.out}`);
    });
}
