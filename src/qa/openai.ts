import pLimit from 'p-limit';
import { VidlensError } from '../core/errors.js';
import type { QaBackend, QaRequest } from './backend.js';
import { LIMITS } from '../core/limits.js';

export interface OpenAiOptions {
  /** Base URL of an OpenAI-compatible API, e.g. `http://localhost:8000/v1` (vLLM, llama.cpp, Ollama, hosted). */
  url: string;
  model: string;
  /** Bearer token, read by the caller from an environment variable; none for local servers. */
  apiKey?: string;
  /** Per-request timeout (default 120 s). */
  timeoutMs?: number;
  /** Attempts per request (default 4): retries on timeouts, network errors, 429 and 5xx, with exponential backoff. */
  attempts?: number;
  /** First backoff delay (default 1 s), doubled per retry, with jitter. */
  backoffMs?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  maxTokens?: number;
}

interface ChatResponse {
  choices?: Array<{ message?: { content?: unknown } }>;
}

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** The endpoint for chat completions under a base URL (accepts the base or the full path). */
export function chatCompletionsUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/chat/completions') ? trimmed : `${trimmed}/chat/completions`;
}

/**
 * A client for any OpenAI-compatible chat-completions endpoint with image inputs: frames travel as
 * JPEG data URLs in one user message after the text; temperature 0. Transient failures are retried
 * with backoff; a final failure names the endpoint and the last reason.
 */
export class OpenAiBackend implements QaBackend {
  readonly id: string;
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(private readonly options: OpenAiOptions) {
    // The model, not where it is served, identifies the answers (a rerun may reach it at another URL).
    this.id = `openai:${options.model}`;
    this.limit = pLimit(options.concurrency ?? 4);
  }

  answer(request: QaRequest): Promise<string> {
    return this.limit(() => this.send(request));
  }

  private body(request: QaRequest): string {
    const content = [
      { type: 'text', text: request.prompt },
      ...request.frames.map((f) => ({ type: 'image_url', image_url: { url: `data:image/jpeg;base64,${f.jpeg.toString('base64')}` } })),
    ];
    const messages = [...(request.system ? [{ role: 'system', content: request.system }] : []), { role: 'user', content }];
    return JSON.stringify({ model: this.options.model, messages, temperature: 0, max_tokens: this.options.maxTokens ?? 512 });
  }

  private async send(request: QaRequest): Promise<string> {
    const url = chatCompletionsUrl(this.options.url);
    const attempts = this.options.attempts ?? 4;
    const body = this.body(request);
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
          },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
        });
        const text = await boundedBody(response, url);
        if (response.ok) {
          let parsed: ChatResponse;
          try {
            parsed = JSON.parse(text) as ChatResponse;
          } catch {
            throw new VidlensError(`${url}: the reply is not JSON: ${text.slice(0, 200)}`);
          }
          const content = parsed.choices?.[0]?.message?.content;
          if (typeof content !== 'string') throw new VidlensError(`${url}: the reply has no choices[0].message.content`);
          return content.length > LIMITS.replyChars ? `${content.slice(0, LIMITS.replyChars)} … [cut: the reply had ${content.length} characters]` : content;
        }
        reason = `HTTP ${response.status}: ${text.slice(0, 200)}`;
        if (!retryable(response.status)) break;
      } catch (error) {
        if (error instanceof VidlensError) throw error;
        const e = error as Error & { cause?: { code?: string; message?: string } };
        reason = e.name === 'TimeoutError' ? `timed out after ${this.options.timeoutMs ?? 120_000} ms` : `${e.cause?.code ?? e.cause?.message ?? e.name}: ${e.message}`;
      }
      if (attempt < attempts) {
        const delay = (this.options.backoffMs ?? 1000) * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    throw new VidlensError(`--llm-url ${this.options.url}: no answer after ${attempts} attempt(s) (${reason})`);
  }
}

/** The response body as text, refused past `LIMITS.replyBytes` (read as it streams, never held whole). */
async function boundedBody(response: Response, url: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = response.body?.getReader();
  for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) {
    bytes += next.value.byteLength;
    if (bytes > LIMITS.replyBytes) {
      await reader?.cancel();
      throw new VidlensError(`${url}: the reply is larger than ${LIMITS.replyBytes / 1024 ** 2} MiB; refused`);
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
