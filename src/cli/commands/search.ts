import { config } from '../../core/config.js';
import type { Command } from 'commander';
import { clock, printJson, printLine } from '../output.js';
import { integerIn, positiveInteger } from '../parse.js';
import { usageError } from '../../core/errors.js';
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
}

async function searchHere(flags: SearchFlags, query: string, request: SearchRequest): Promise<SearchResponse> {
  const { withSession } = await import('../../app/session.js');
  return withSession(flags.db, { model: flags.model }, (session) => session.search(query, request));
}

async function searchServer(server: string, query: string, request: SearchRequest, flags: SearchFlags): Promise<SearchResponse> {
  if (flags.model) throw usageError('--model: not with --server (the server searches with its index\'s model)');
  if (flags.rerankK !== undefined) throw usageError('--rerank-k: not with --server (the server sets it)');
  const { clientToken, remoteSearch } = await import('../../server/client.js');
  return remoteSearch(server, query, request, await clientToken(flags.tokenFile, config.token()));
}

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('find the segments that best match a text, with their start and end seconds')
    .argument('<text...>', 'what to look for')
    .option('--db <dir>', 'index folder (env VIDLENS_DB)', config.db())
    .option('--k <n>', `number of results (at most ${MAX_SEARCH_K})`, integerIn(1, MAX_SEARCH_K), SEARCH_K)
    .option('--domain <name>', 'only segments of this domain')
    .option('--video <id|path>', 'only segments of this video')
    .option('--model <id|dir>', "model (default: the index's; another model is refused)")
    .option('--adapter <dir>', "rank through a retrieval adapter from 'vidlens train retrieval' (exact scan)")
    .option('--reranker <dir>', "re-score the first stage's top results with a reranker from 'vidlens train rerank'")
    .option('--rerank-k <n>', `first-stage results re-scored (at least --k; default ${SEARCH_RERANK_K})`, positiveInteger)
    .option('--server <url>', "ask a running 'vidlens serve' (its model stays loaded); --adapter/--reranker then name heads the server offers")
    .option('--token-file <file>', 'with --server: the token to send (default: env VIDLENS_TOKEN)')
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExamples:\n  vidlens search "worker tightens a bolt" --k 5\n  vidlens search "a dog jumps" --domain park --json\n  vidlens search "a red circle moves left" --adapter adapters/sms --reranker rerankers/r1')
    .action(async (words: string[], flags: SearchFlags) => {
      const request = { k: flags.k, domain: flags.domain, video: flags.video, adapter: flags.adapter, reranker: flags.reranker, rerankK: flags.rerankK };
      const response = flags.server ? await searchServer(flags.server, words.join(' '), request, flags) : await searchHere(flags, words.join(' '), request);
      if (flags.json) {
        printJson(response);
        return;
      }
      if (response.results.length === 0) printLine('no results');
      for (const r of response.results) {
        const domain = r.video.domain ? `  [${r.video.domain}]` : '';
        // Five decimals: cosine scores of neighbouring results often differ only in the fourth.
        printLine(`${String(r.rank).padStart(3)}  ${r.score.toFixed(5)}  ${clock(r.start)}–${clock(r.end)}  ${r.video.path}${domain}`);
      }
    });
}
