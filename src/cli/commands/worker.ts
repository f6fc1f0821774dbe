import type { Command } from 'commander';
import { config } from '../../core/config.js';
import { note, printJson, printLine } from '../output.js';
import { positiveInteger } from '../parse.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description("index the videos queued by 'vidlens index --queue URL' (BullMQ on Redis), each job in a sandboxed child process")
    .requiredOption('--queue <url>', 'the Redis the jobs are on (redis://HOST:PORT)')
    .option('--db <dir>', 'index folder the jobs write to (env VIDLENS_DB); workers on several machines share it on shared storage', config.db())
    .option('--concurrency <n>', 'jobs run at once, each in its own process', positiveInteger, 1)
    .option('--threads <n>', 'threads per job, for ONNX Runtime and for ffmpeg\'s decoding each (default: theirs, one per core)', positiveInteger)
    .option('--drain', 'stop once the queue has nothing left (waiting, retrying or running)')
    .option('--json', 'print one JSON document at the end (the counts)')
    .addHelpText('after', '\nExamples:\n  vidlens index ~/footage --queue redis://127.0.0.1:6379\n  vidlens worker --queue redis://127.0.0.1:6379 --db ./vidlens-db --concurrency 2')
    .action(async (flags: { queue: string; db: string; concurrency: number; threads?: number; drain?: boolean; json?: boolean }) => {
      const [{ runWorker }, { assertReachable }] = await Promise.all([import('../../indexing/queue-worker.js'), import('../../indexing/queue.js')]);
      await assertReachable(flags.queue);
      const stop = new AbortController();
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
      if (!flags.json) printLine(`worker on ${flags.queue} → ${flags.db} (${flags.concurrency} at once)${flags.drain ? ', until the queue is empty' : '; Ctrl-C stops after the running jobs'}`);
      const counts = await runWorker({
        ...flags,
        signal: stop.signal,
        onEvent: (e) => {
          if (flags.json) return;
          if (e.kind === 'completed') printLine(`${e.result?.indexed ? 'indexed' : 'already indexed'} ${e.path}${e.result?.indexed ? `: ${e.result.segments} segment(s) in ${e.result.seconds.toFixed(1)} s` : ''}`);
          else note(`failed (attempt ${e.attempt}${e.willRetry ? ', will retry' : ', giving up'}): ${e.path}: ${e.error}`);
        },
      });
      if (flags.json) printJson(counts);
      else printLine(`done: ${counts.completed} job(s) completed, ${counts.failed} failed`);
      if (counts.failed) process.exitCode = 1;
    });
}
