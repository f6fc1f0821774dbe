import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { inputError } from '../core/errors.js';

/** The cookie the page's media elements (which cannot send headers) authenticate with. */
export const TOKEN_COOKIE = 'vidlens_token';

/** Whether a bind address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The token in `file`, made on first use: 32 random bytes as hex, written with mode 0600. A file
 * others can read is refused, since anyone who reads it can use the server.
 */
export async function loadOrCreateToken(file: string): Promise<{ token: string; created: boolean }> {
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw inputError(`--token-file ${file}: cannot read it (${error.message})`);
  });
  if (existing !== undefined) {
    const token = existing.trim();
    if (token.length < 16) throw inputError(`--token-file ${file}: holds ${token.length} characters; a token needs at least 16 (delete the file to have one made)`);
    return { token, created: false };
  }
  const token = randomBytes(32).toString('hex');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    throw inputError(`--token-file ${file}: cannot write it (${error.message})`);
  });
  await chmod(file, 0o600);
  return { token, created: true };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares a presented token in constant time (hashing first makes the lengths equal). */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  return presented !== undefined && timingSafeEqual(digest(expected), digest(presented));
}

/** The token a request presents: `Authorization: Bearer …`, else the page's cookie. */
export function presentedToken(headers: { authorization?: string; cookie?: string }): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (bearer) return bearer[1];
  for (const part of (headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * Failed attempts per client address in a sliding window: past `limit` failures within
 * `windowMs` the address is refused (429) until the window clears, whatever it presents.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 10,
    private readonly windowMs = 60_000,
  ) {}

  private recent(address: string, now: number): number[] {
    const kept = (this.failures.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length) this.failures.set(address, kept);
    else this.failures.delete(address);
    return kept;
  }

  /** Seconds until the address may try again, or 0 when it may now. */
  retryAfter(address: string, now = Date.now()): number {
    const recent = this.recent(address, now);
    return recent.length >= this.limit ? Math.ceil((this.windowMs - (now - recent[0])) / 1000) : 0;
  }

  fail(address: string, now = Date.now()): void {
    this.failures.set(address, [...this.recent(address, now), now]);
  }
}
