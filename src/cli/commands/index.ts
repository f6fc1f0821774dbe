import { config } from '../../core/config.js';
import { Option, type Command } from 'commander';
import { clock, printJson, printLine, note } from '../output.js';
import { positiveInteger, positiveNumber } from '../parse.js';
import { usageError } from '../../core/errors.js';
import { progressBar } from '../progress.js';

interface IndexFlags {
  db: string;
  model?: string;
  window?: number;
  stride?: number;
  frames?: number;
  domain?: string;
  batchSize?: number;
  threads?: number;
  commitEvery?: number;
  tta?: 'none' | 'flip';
  adapter?: string[];
  queue?: string;
  status?: boolean;
  json?: boolean;
}

/** `--queue`: enqueue the videos (or, with `--status`, report on the queue) for `vidlens worker`. */
async function queued(paths: string[], flags: IndexFlags, sampling: Record<string, number>): Promise<void> {
  const { enqueueIndex, queueStatus } = await import('../../indexing/queue.js');
  const url = flags.queue!;
  if (flags.status) {
    const status = await queueStatus(url);
    if (flags.json) return printJson(status);
    printLine(`queue ${url}: ${status.waiting} waiting, ${status.active} running, ${status.delayed} waiting to retry, ${status.completed} done, ${status.failed} failed`);
    for (const f of status.failures) note(`failed after ${f.attempts} attempt(s): ${f.path}: ${f.error}`);
    return;
  }
  if (paths.length === 0) throw usageError('missing the video files or folders to enqueue');
  if (flags.adapter?.length) throw usageError("--adapter: not with --queue (a worker's search --adapter refreshes the copy, or run vidlens index --adapter DIR after the queue is done)");
  const summary = await enqueueIndex(url, paths, { model: flags.model, sampling, domain: flags.domain, tta: flags.tta });
  if (flags.json) printJson(summary);
  else {
    printLine(`enqueued ${summary.enqueued} video(s) on ${url}${summary.existing ? `; ${summary.existing} already queued or done (same video, model and sampling)` : ''}`);
    if (summary.ignored) printLine(`ignored ${summary.ignored} non-video file(s)`);
    for (const f of summary.failed) note(`failed: ${f.error}`);
  }
  if (summary.failed.length) process.exitCode = 1;
}

export function registerIndex(program: Command): void {
  program
    .command('index')
    .description('index video files and folders (recursively) into time-localised, searchable segments')
    .argument('[path...]', 'video files or folders')
    .option('--db <dir>', 'index folder (env VIDLENS_DB)', config.db())
    .option('--model <id|dir>', "model: hub id or local folder (default: the index's model, else env VIDLENS_MODEL or Xenova/clip-vit-base-patch32)")
    .option('--window <s>', 'segment length in seconds (default 4)', positiveNumber)
    .option('--stride <s>', 'seconds between segment starts (default: the window)', positiveNumber)
    .option('--frames <n>', 'frames sampled per segment (default 8)', positiveInteger)
    .option('--domain <name>', 'domain label stored with these videos, for filtering and per-domain evaluation')
    .option('--batch-size <n>', 'frames per encoder call', positiveInteger)
    .option('--threads <n>', 'threads for ONNX Runtime and for ffmpeg\'s decoding each (default: theirs, one per core)', positiveInteger)
    .addOption(new Option('--tta <mode>', "test-time augmentation: flip sums each frame's embedding with its mirror image's (default: the index's, else none)").choices(['none', 'flip']))
    .option('--commit-every <n>', 'segments per store commit (default 512); an interrupted run keeps every finished commit', positiveInteger)
    .option('--adapter <dir>', "also bring this retrieval adapter's copy of the segment vectors up to date, what 'search --adapter' searches (repeatable)", (dir: string, all: string[]) => [...all, dir], [] as string[])
    .option('--queue <url>', "enqueue one job per video on this Redis (redis://HOST:PORT) for 'vidlens worker' instead of indexing here")
    .option('--status', 'with --queue: show the queue\'s progress and its last failures')
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExamples:\n  vidlens index ~/footage --domain assembly-line\n  vidlens index clip.mp4 --model ./models/tiny --db ./demo-db --json\n  vidlens index ~/footage --queue redis://127.0.0.1:6379   (then: vidlens worker --queue redis://127.0.0.1:6379 --db DIR)')
    .action(async (paths: string[], flags: IndexFlags) => {
      const sampling = {
        ...(flags.window !== undefined ? { window: flags.window } : {}),
        ...(flags.stride !== undefined ? { stride: flags.stride } : {}),
        ...(flags.frames !== undefined ? { frames: flags.frames } : {}),
      };
      if (flags.status && !flags.queue) throw usageError('--status: only with --queue URL');
      if (flags.queue) return queued(paths, flags, sampling);
      if (paths.length === 0) throw usageError("missing the video files or folders to index (e.g. vidlens index ~/footage)");
      const { runIndex } = await import('../../indexing/run.js');
      const bar = progressBar();
      const summary = await runIndex({
        paths,
        db: flags.db,
        model: flags.model,
        sampling,
        domain: flags.domain,
        batchSize: flags.batchSize,
        threads: flags.threads,
        commitEvery: flags.commitEvery,
        tta: flags.tta,
        adapters: flags.adapter,
        onProgress: bar.update,
      }).finally(() => bar.stop());
      const { indexed, skipped, relabeled, ignored, failed, warnings, segments, seconds, frames } = summary;
      for (const w of warnings) note(`warning: ${w}`);
      if (flags.json) {
        printJson({ indexed, skipped, relabeled, ignored, failed, warnings, segments, frames, seconds, model: summary.model, ann: summary.ann, adapted: summary.adapted });
      } else {
        printLine(`indexed ${indexed} video(s), ${segments} segment(s), ${frames} frame(s) in ${clock(seconds)} with ${summary.model.id}`);
        if (skipped) printLine(`skipped ${skipped} unchanged video(s)${relabeled ? `, ${relabeled} of them moved to domain "${flags.domain}" (vectors kept)` : ''}`);
        if (summary.ann) printLine(`${summary.ann} the ANN index over the segments`);
        for (const a of summary.adapted) printLine(`adapter ${a.adapter}: adapted ${a.segments} segment(s); its copy holds ${a.rows}${a.ann ? ` (${a.ann} its ANN index)` : ''}`);
        if (ignored) printLine(`ignored ${ignored} non-video file(s)`);
        for (const f of failed) note(`failed: ${f.error}`);
      }
      if (failed.length > 0) process.exitCode = 1;
    });
}
