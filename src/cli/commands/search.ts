import { config } from '../../core/config.js';
import type { Command } from 'commander';
import { clock, printJson, printLine } from '../output.js';
import { integerIn, positiveInteger } from '../parse.js';
import { inputError, usageError } from '../../core/errors.js';
import { progressBar } from '../progress.js';
import type { SearchRequest } from '../../app/session.js';
import type { SearchResponse } from '../../search/search.js';
import { MAX_SEARCH_K, SEARCH_K, SEARCH_RERANK_K } from '../../search/defaults.js';

interface SearchFlags {
  db: string;
  k: number;
  domain?: string;
  video?: string;
  model?: string;
  adapter?: string;
  reranker?: string;
  rerankK?: number;
  json?: boolean;
  server?: string;
  tokenFile?: string;
  queries?: string;
  exact?: boolean;
}

/** The queries of a `--queries` file: one per line, blank lines skipped. */
async function readQueries(file: string): Promise<string[]> {
  const { readInput } = await import('../../util/read.js');
  const queries = (await readInput(file, 'utf8')).split('\n').map((l) => l.trim()).filter(Boolean);
  if (queries.length === 0) throw inputError(`--queries ${file}: no queries (one per line)`);
  return queries;
}

function printResults(response: SearchResponse): void {
  if (response.results.length === 0) printLine('no results');
  for (const r of response.results) {
    const domain = r.video.domain ? `  [${r.video.domain}]` : '';
    // Five decimals: cosine scores of neighbouring results often differ only in the fourth.
    printLine(`${String(r.rank).padStart(3)}  ${r.score.toFixed(5)}  ${clock(r.start)}–${clock(r.end)}  ${r.video.path}${domain}${r.missing ? '  (file missing)' : ''}`);
  }
}

async function searchHere(flags: SearchFlags, query: string, request: SearchRequest): Promise<SearchResponse> {
  const { withSession } = await import('../../app/session.js');
  const bar = progressBar();
  return withSession(flags.db, { model: flags.model, onProgress: bar.update }, (session) => session.search(query, request)).finally(() => bar.stop());
}

async function searchServer(server: string, query: string, request: SearchRequest, flags: SearchFlags): Promise<SearchResponse> {
  if (flags.model) throw usageError('--model: not with --server (the server searches with its index\'s model)');
  if (flags.rerankK !== undefined) throw usageError('--rerank-k: not with --server (the server sets it)');
  const { clientToken, remoteSearch } = await import('../../server/client.js');
  return remoteSearch(server, query, request, await clientToken(flags.tokenFile, config.token()));
}

/** `--queries`: every query answered with one model load (or by the server), printed as it comes. */
async function searchFile(flags: SearchFlags, queries: string[], request: SearchRequest): Promise<void> {
  const print = (response: SearchResponse) => {
    if (flags.json) printLine(JSON.stringify(response));
    else {
      printLine(`# ${response.query}`);
      printResults(response);
    }
  };
  if (flags.server) {
    for (const query of queries) print(await searchServer(flags.server, query, request, flags));
    return;
  }
  const { withSession } = await import('../../app/session.js');
  const bar = progressBar();
  const responses = await withSession(flags.db, { model: flags.model, onProgress: bar.update }, (session) => session.searchMany(queries, request, bar.update)).finally(() => bar.stop());
  responses.forEach(print);
}

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('find the segments that best match a text, with their start and end seconds')
    .argument('[text...]', 'what to look for (or --queries FILE)')
    .option('--db <dir>', 'index folder (env VIDLENS_DB)', config.db())
    .option('--k <n>', `number of results (at most ${MAX_SEARCH_K})`, integerIn(1, MAX_SEARCH_K), SEARCH_K)
    .option('--domain <name>', 'only segments of this domain')
    .option('--video <id|path>', 'only segments of this video')
    .option('--model <id|dir>', "model (default: the index's; another model is refused)")
    .option('--adapter <dir>', "rank through a retrieval adapter from 'vidlens train retrieval' (searched in its own copy of the vectors, made on first use)")
    .option('--reranker <dir>', "re-score the first stage's top results with a reranker from 'vidlens train rerank'")
    .option('--rerank-k <n>', `first-stage results re-scored (at least --k; default ${SEARCH_RERANK_K})`, positiveInteger)
    .option('--server <url>', "ask a running 'vidlens serve' (its model stays loaded); --adapter/--reranker then name heads the server offers")
    .option('--token-file <file>', 'with --server: the token to send (default: env VIDLENS_TOKEN)')
    .option('--exact', 'scan every segment, past the ANN index (see vidlens optimize)')
    .option('--queries <file>', 'search every line of FILE, loading the model once; with --json, one JSON document per line (JSON Lines)')
    .option('--json', 'print one JSON document (per query with --queries)')
    .addHelpText('after', '\nExamples:\n  vidlens search "worker tightens a bolt" --k 5\n  vidlens search --queries queries.txt --k 5 --json > results.jsonl\n  vidlens search "a dog jumps" --domain park --json\n  vidlens search "a red circle moves left" --adapter adapters/sms --reranker rerankers/r1')
    .action(async (words: string[], flags: SearchFlags) => {
      const request = { k: flags.k, domain: flags.domain, video: flags.video, adapter: flags.adapter, reranker: flags.reranker, rerankK: flags.rerankK, exact: flags.exact };
      if (flags.queries !== undefined) {
        if (words.length) throw usageError('give a search text or --queries FILE, not both');
        await searchFile(flags, await readQueries(flags.queries), request);
        return;
      }
      if (words.length === 0) throw usageError("missing the search text (or --queries FILE); e.g. vidlens search \"a red circle\"");
      const response = flags.server ? await searchServer(flags.server, words.join(' '), request, flags) : await searchHere(flags, words.join(' '), request);
      if (flags.json) printJson(response);
      else printResults(response);
    });
}
