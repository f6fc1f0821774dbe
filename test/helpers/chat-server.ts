import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  headers: IncomingHttpHeaders;
  body: {
    model: string;
    messages: Array<{ role: string; content: string | Array<{ type: string; text?: string; image_url?: { url: string } }> }>;
    temperature?: number;
  };
  /** The text parts of the user message, joined. */
  prompt: string;
  /** The data URLs of the images in the user message. */
  images: string[];
}

export interface ChatReply {
  status?: number;
  /** The assistant message content (wrapped in a chat-completions body). */
  content?: string;
  /** A raw body instead (for malformed replies). */
  raw?: string;
  delayMs?: number;
}

/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol and answers
 * deterministically from each request via `reply`. It records every request.
 */
export async function startChatServer(reply: (request: ChatRequest, index: number) => ChatReply): Promise<{ url: string; requests: ChatRequest[]; close: () => Promise<void> }> {
  const requests: ChatRequest[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(data) as ChatRequest['body'];
      const user = body.messages.find((m) => m.role === 'user');
      const parts = Array.isArray(user?.content) ? user.content : [{ type: 'text', text: user?.content ?? '' }];
      const request: ChatRequest = {
        headers: req.headers,
        body,
        prompt: parts.filter((p) => p.type === 'text').map((p) => p.text).join('\n'),
        images: parts.filter((p) => p.type === 'image_url').map((p) => p.image_url?.url ?? ''),
      };
      const index = requests.push(request) - 1;
      const r = reply(request, index);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
        res.end(r.raw ?? JSON.stringify({ id: `chat-${index}`, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: r.content ?? '' }, finish_reason: 'stop' }] }));
      };
      if (r.delayMs) setTimeout(send, r.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
