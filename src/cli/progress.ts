import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { EpochEvent, Progress } from '../core/events.js';

export interface ProgressBar {
  /** Draws one progress event (any task: the bar follows its label, unit and total). */
  update(progress: Progress): void;
  stop(): void;
}

const silent: ProgressBar = { update: () => undefined, stop: () => undefined };

/** A progress bar with ETA on stderr, only when stderr is a terminal (never in pipes, logs or CI). */
export function progressBar(): ProgressBar {
  if (!process.stderr.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{label} [{bar}] {percentage}% | {value}/{total} {unit} | ETA {eta_formatted} | {file}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      // A path is shown by its file name; other details as they are.
      const payload = { label: p.task, unit: p.unit, file: p.item?.startsWith('/') ? basename(p.item) : (p.item ?? '') };
      if (!started) {
        bar.start(p.total, p.done, payload);
        started = true;
      }
      bar.setTotal(p.total);
      bar.update(p.done, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** A progress bar for a training run: its data progress, then one step per epoch with the loss and `validation`'s rendering of the score. */
export function trainingProgress(validation: (v: number) => string) {
  const bar = progressBar();
  return {
    bar,
    onProgress: bar.update,
    onEpoch: (e: EpochEvent) => bar.update({ task: 'training', done: e.epoch, total: e.epochs, unit: 'epochs', item: `loss ${e.loss.toFixed(4)} · ${validation(e.validation)}` }),
  };
}
