import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number, label: string, file?: string, unit?: string): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/** A progress bar with ETA on stderr, only when stderr is a terminal (never in pipes, logs or CI). */
export function progressBar(defaultUnit: string): Progress {
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
    update(done, total, label, file = '', unit = defaultUnit) {
      if (!started) {
        bar.start(total, done, { label, file, unit });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { label, file, unit });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
