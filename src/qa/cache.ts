import { appendFile, readFile } from 'node:fs/promises';

/** One answered item, as kept for inspection and for resuming. */
export interface CachedReply {
  id: string;
  backend: string;
  mode: 'close' | 'open';
  reply: string;
  /** OpenQA: every judge reply, in order, and the final mark. */
  judge?: string[];
  mark?: number;
}

/**
 * An append-only JSONL of replies: each answered item is written the moment it is scored, so an
 * interrupted run (or an unreachable endpoint) loses nothing and a rerun skips what is there.
 */
export class ReplyCache {
  private readonly entries = new Map<string, CachedReply>();

  private constructor(private readonly path: string | undefined) {}

  static async open(path: string | undefined): Promise<ReplyCache> {
    const cache = new ReplyCache(path);
    if (!path) return cache;
    const text = await readFile(path, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as CachedReply;
        cache.entries.set(ReplyCache.key(entry.id, entry.backend, entry.mode), entry);
      } catch {
        // A line cut by a crash mid-write: that item is simply answered again.
      }
    }
    return cache;
  }

  private static key(id: string, backend: string, mode: string): string {
    return `${backend}\u0000${mode}\u0000${id}`;
  }

  get(id: string, backend: string, mode: 'close' | 'open'): CachedReply | undefined {
    return this.entries.get(ReplyCache.key(id, backend, mode));
  }

  async put(entry: CachedReply): Promise<void> {
    this.entries.set(ReplyCache.key(entry.id, entry.backend, entry.mode), entry);
    if (this.path) await appendFile(this.path, `${JSON.stringify(entry)}\n`);
  }
}
