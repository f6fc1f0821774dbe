import type { Command } from 'commander';
import { usageError } from '../core/errors.js';
import type { QaBackend } from '../qa/backend.js';
import { OpenAiBackend } from '../qa/openai.js';
import { positiveInteger, positiveNumber } from './parse.js';
import { config } from '../core/config.js';

export interface LlmFlags {
  llmUrl?: string;
  llmModel?: string;
  llmKeyEnv: string;
  llmTimeout: number;
  llmConcurrency: number;
  llmRetries: number;
  judgeUrl?: string;
  judgeModel?: string;
}

/** The flags every command that talks to a multimodal LLM shares. */
export function addLlmOptions(command: Command, withJudge: boolean): Command {
  command
    .option('--llm-url <url>', 'OpenAI-compatible API base URL (vLLM, llama.cpp server, Ollama, hosted), e.g. http://localhost:8000/v1')
    .option('--llm-model <name>', 'model name at that endpoint')
    .option('--llm-key-env <NAME>', 'environment variable holding the API key (sent as a Bearer token)', 'VIDLENS_LLM_API_KEY')
    .option('--llm-timeout <s>', 'seconds per request', positiveNumber, 120)
    .option('--llm-concurrency <n>', 'requests in flight at once', positiveInteger, 4)
    .option('--llm-retries <n>', 'attempts per request (timeouts, network errors, 429 and 5xx are retried with backoff)', positiveInteger, 4);
  if (withJudge) {
    command
      .option('--judge-url <url>', 'OpenAI-compatible endpoint of the OpenQA judge (default: --llm-url)')
      .option('--judge-model <name>', 'judge model name (OpenQA)');
  }
  return command;
}

function backend(url: string, model: string, flags: LlmFlags): QaBackend {
  return new OpenAiBackend({
    url,
    model,
    apiKey: config.secret(flags.llmKeyEnv),
    timeoutMs: flags.llmTimeout * 1000,
    attempts: flags.llmRetries,
    concurrency: flags.llmConcurrency,
  });
}

/** The model backend named by the flags, if any; a URL without a model (or the reverse) is a usage error. */
export function llmBackend(flags: LlmFlags): QaBackend | undefined {
  if (!flags.llmUrl && !flags.llmModel) return undefined;
  if (!flags.llmUrl || !flags.llmModel) throw usageError(`${flags.llmUrl ? '--llm-model' : '--llm-url'} is required with ${flags.llmUrl ? '--llm-url' : '--llm-model'}`);
  return backend(flags.llmUrl, flags.llmModel, flags);
}

export function judgeBackend(flags: LlmFlags): QaBackend | undefined {
  if (!flags.judgeModel) return undefined;
  const url = flags.judgeUrl ?? flags.llmUrl;
  if (!url) throw usageError('--judge-model needs --judge-url (or --llm-url)');
  return backend(url, flags.judgeModel, flags);
}
