import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { config } from '../../core/config.js';
import { usageError } from '../../core/errors.js';
import { note, printLine } from '../output.js';
import { integerIn } from '../parse.js';

interface ServeFlags {
  db: string;
  host: string;
  port: number;
  tokenFile?: string;
  jobRoot: string[];
  reports?: string;
  adapter: Record<string, string>;
  reranker: Record<string, string>;
  model?: string;
  logLevel: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `NAME=DIR` pairs into a map; a pair without `=` or a repeated name is refused. */
function namedDir(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) throw new InvalidArgumentError('expected NAME=DIR.');
  const name = value.slice(0, at);
  if (name in previous) throw new InvalidArgumentError(`${name} is given twice.`);
  return { ...previous, [name]: value.slice(at + 1) };
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the index: a web page to search, watch and judge, and a JSON API (model loaded once)')
    .option('--db <dir>', 'index folder (env VIDLENS_DB)', config.db())
    .option('--host <address>', 'address to listen on; any but loopback requires a token', '127.0.0.1')
    .option('--port <n>', 'port (0: any free port)', integerIn(0, 65535), 8080)
    .option('--token-file <file>', 'require the token in this file (made, mode 0600, if missing); default for non-loopback hosts: env VIDLENS_TOKEN_FILE or ~/.config/vidlens/serve-token')
    .option('--job-root <dir>', 'allow index jobs on folders inside DIR (repeatable)', collect, [])
    .option('--reports <dir>', 'show the eval reports (vidlens eval … --out) under DIR')
    .option('--adapter <name=dir>', 'offer a retrieval adapter to searches by name (repeatable)', namedDir, {})
    .option('--reranker <name=dir>', 'offer a reranker to searches by name (repeatable)', namedDir, {})
    .option('--model <id|dir>', "model (default: the index's; another model is refused)")
    .option('--log-level <level>', 'server log level (pino): fatal, error, warn, info, debug', 'warn')
    .addHelpText('after', '\nExamples:\n  vidlens serve --db demo/db --reports demo\n  vidlens serve --db ./my-index --host 0.0.0.0 --port 8080 --job-root ~/footage')
    .action(async (flags: ServeFlags) => {
      const [{ buildServer }, { isLoopback, loadOrCreateToken }] = await Promise.all([import('../../server/app.js'), import('../../server/auth.js')]);
      const tokenFile = flags.tokenFile ?? (isLoopback(flags.host) ? undefined : config.tokenFile());
      const token = tokenFile ? await loadOrCreateToken(tokenFile) : undefined;
      if (token?.created) note(`vidlens: made a new token in ${tokenFile} (mode 0600)`);
      const app = await buildServer({
        db: flags.db, model: flags.model, token: token?.token, jobRoots: flags.jobRoot, reports: flags.reports,
        adapters: flags.adapter, rerankers: flags.reranker, logLevel: flags.logLevel,
      });
      const address = await app.listen({ host: flags.host, port: flags.port }).catch(async (error: NodeJS.ErrnoException) => {
        await app.close();
        throw usageError(`--host ${flags.host} --port ${flags.port}: cannot listen (${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message})`);
      });
      printLine(`vidlens serving ${flags.db} at ${address}${token ? ` (token in ${tokenFile})` : ''}`);
      await new Promise<void>((resolve) => {
        const stop = () => void app.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
