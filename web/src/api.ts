/** The page's one way to the server: JSON over fetch, with the token (if any) and errors as messages. */

const TOKEN_KEY = 'vidlens-token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

async function parse<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new ApiError(response.status, body.error ?? `${response.status} ${response.statusText}`);
  return body as T;
}

type Query = Record<string, string | number | undefined>;

/** `path?k=v&…` without the empty values. */
function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function getJson<T>(path: string, query: Query = {}): Promise<T> {
  return parse<T>(await fetch(withQuery(path, query), { headers: headers() }));
}

export async function sendJson<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  return parse<T>(await fetch(path, init));
}

export async function sendImage<T>(path: string, file: File, query: Query): Promise<T> {
  return parse<T>(await fetch(withQuery(path, query), { method: 'POST', headers: headers({ 'Content-Type': file.type || 'image/jpeg' }), body: file }));
}

/**
 * Signs in with a token (from the address's `#token=…` or typed in): kept for this tab, and handed
 * to the server, which sets the cookie the page's video and image elements authenticate with.
 */
export async function signIn(token: string): Promise<void> {
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    await sendJson('POST', '/api/session');
  } catch (error) {
    sessionStorage.removeItem(TOKEN_KEY);
    throw error;
  }
}

export const segmentThumbnail = (segment: string) => `/api/segments/${encodeURIComponent(segment)}/thumbnail`;
export const videoStream = (video: string) => `/api/videos/${encodeURIComponent(video)}/stream`;
