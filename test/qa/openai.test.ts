import { afterEach, describe, expect, it } from 'vitest';
import { chatCompletionsUrl, OpenAiBackend } from '../../src/qa/openai.js';
import { startChatServer } from '../helpers/chat-server.js';

const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const request = { frames: [{ jpeg, time: 0.5 }, { jpeg, time: 1.5 }], prompt: 'Question: how many?\nOptions:\nA: 1\nB: 2', system: 'be brief' };
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('OpenAI-compatible backend against a real HTTP server', () => {
  it('sends the model, the system prompt, the text and one JPEG data URL per frame, with the API key', async () => {
    const server = await startChatServer(() => ({ content: '{"prediction": "B"}' }));
    close = server.close;
    const backend = new OpenAiBackend({ url: server.url, model: 'tiny-vlm', apiKey: 'sekret' });
    expect(await backend.answer(request)).toBe('{"prediction": "B"}');
    const [r] = server.requests;
    expect(r.body.model).toBe('tiny-vlm');
    expect(r.body.temperature).toBe(0);
    expect(r.body.messages[0]).toEqual({ role: 'system', content: 'be brief' });
    expect(r.prompt).toContain('Question: how many?');
    expect(r.images).toHaveLength(2);
    expect(Buffer.from(r.images[0].replace('data:image/jpeg;base64,', ''), 'base64').equals(jpeg)).toBe(true);
    expect(r.headers.authorization).toBe('Bearer sekret');
  });

  it('retries on 500 with backoff and succeeds', async () => {
    const server = await startChatServer((_r, i) => (i < 2 ? { status: 500, raw: 'overloaded' } : { content: 'ok' }));
    close = server.close;
    const backend = new OpenAiBackend({ url: server.url, model: 'm', backoffMs: 10 });
    expect(await backend.answer(request)).toBe('ok');
    expect(server.requests).toHaveLength(3);
  });

  it('retries a timed-out request, then fails naming the endpoint and the reason', async () => {
    const server = await startChatServer(() => ({ content: 'late', delayMs: 1500 }));
    close = server.close;
    const backend = new OpenAiBackend({ url: server.url, model: 'm', timeoutMs: 200, attempts: 2, backoffMs: 10 });
    await expect(backend.answer(request)).rejects.toThrow(/--llm-url http:\/\/127\.0\.0\.1:\d+\/v1: no answer after 2 attempt\(s\) \(timed out after 200 ms\)/);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a client error', async () => {
    const server = await startChatServer(() => ({ status: 400, raw: '{"error":"bad model"}' }));
    close = server.close;
    await expect(new OpenAiBackend({ url: server.url, model: 'm', backoffMs: 10 }).answer(request)).rejects.toThrow(/HTTP 400: \{"error":"bad model"\}/);
    expect(server.requests).toHaveLength(1);
  });

  it('fails clearly for an unreachable endpoint and for a reply that is not chat-completions JSON', async () => {
    const gone = await startChatServer(() => ({ content: 'never' }));
    await gone.close();
    await expect(new OpenAiBackend({ url: gone.url, model: 'm', attempts: 2, backoffMs: 10 }).answer(request)).rejects.toThrow(/no answer after 2 attempt\(s\) \(ECONNREFUSED/);
    const server = await startChatServer(() => ({ raw: '<html>proxy error</html>' }));
    close = server.close;
    await expect(new OpenAiBackend({ url: server.url, model: 'm' }).answer(request)).rejects.toThrow(/the reply is not JSON: <html>proxy error/);
  });

  it('accepts a base URL or the full chat-completions URL', () => {
    expect(chatCompletionsUrl('http://h/v1/')).toBe('http://h/v1/chat/completions');
    expect(chatCompletionsUrl('http://h/v1/chat/completions')).toBe('http://h/v1/chat/completions');
  });
});
