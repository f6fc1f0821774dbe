import type { Command } from 'commander';
import { Option } from 'commander';
import { trainRetrieval, type RetrievalLoss } from '../../train/retrieval.js';
import { printJson, printLine } from '../output.js';
import { DEFAULT_DB, nonNegativeInteger, positiveInteger, positiveNumber } from '../parse.js';
import { progressBar } from '../progress.js';

interface TrainFlags {
  db: string;
  dataset: string;
  loss: RetrievalLoss;
  out: string;
  model?: string;
  relevancy?: string;
  epochs: number;
  batchSize: number;
  lr: number;
  temperature: number;
  margin: number;
  patience: number;
  seed: number;
  json?: boolean;
}

export function registerTrain(program: Command): void {
  const train = program.command('train').description('adapt to your domain from a few labels, on frozen features');
  train
    .command('retrieval')
    .description('train a retrieval adapter (a linear head per modality, starting at the identity) with InfoNCE, SMS or an angular margin')
    .requiredOption('--dataset <clips.jsonl>', 'labelled clips with captions and "split": "train" / "val" (else a seeded 80/20 split)')
    .requiredOption('--out <dir>', 'adapter folder to write')
    .option('--db <dir>', "index whose model gives the frozen features (clips are embedded and cached there)", DEFAULT_DB)
    .addOption(new Option('--loss <loss>', 'training loss').choices(['infonce', 'sms', 'angular']).default('infonce'))
    .option('--relevancy <file.npy>', 'soft relevancy (clips × captions) for SMS and validation, instead of label overlap')
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .option('--epochs <n>', 'maximum epochs', positiveInteger, 20)
    .option('--batch-size <n>', 'pairs per step', positiveInteger, 128)
    .option('--lr <x>', 'Adam learning rate', positiveNumber, 1e-3)
    .option('--temperature <x>', 'InfoNCE / angular temperature τ', positiveNumber, 0.05)
    .option('--margin <x>', 'angular margin μ (radians)', positiveNumber, 0.2)
    .option('--patience <n>', 'epochs without validation improvement before stopping', positiveInteger, 3)
    .option('--seed <n>', 'random seed (batches, positive sampling)', nonNegativeInteger, 0)
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExample:\n  vidlens train retrieval --dataset synth/clips.jsonl --relevancy synth/relevancy.npy --loss sms --out adapters/sms\n  vidlens eval retrieval --dataset synth/clips.jsonl --adapter adapters/sms')
    .action(async (flags: TrainFlags) => {
      const bar = progressBar('epochs');
      const summary = await trainRetrieval({
        ...flags,
        onProgress: (d, t, label) => bar.update(d, t, label, '', 'frames'),
        onEpoch: (e) => bar.update(e.epoch, e.epochs, 'training', `loss ${e.loss.toFixed(4)} · val mAP ${e.validation.toFixed(4)}`, 'epochs'),
      }).finally(() => bar.stop());
      if (flags.json) return printJson(summary);
      printLine(`trained a ${summary.loss} adapter on ${summary.train.clips} clips (${summary.backend} backend) in ${summary.seconds.toFixed(1)} s`);
      printLine(`validation ${summary.metric}: zero-shot ${summary.zeroShot.toFixed(4)} → best ${summary.best.toFixed(4)} at epoch ${summary.bestEpoch} of ${summary.epochs}`);
      printLine(`wrote ${summary.out}`);
    });
}
