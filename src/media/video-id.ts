import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const SAMPLE_BYTES = 64 * 1024;

/**
 * A stable, path-independent video id: SHA-256 of the size plus the first and last 64 KiB.
 * Moving or renaming a file keeps its id; editing it changes the id.
 */
export async function contentId(path: string): Promise<{ id: string; size: number; mtimeMs: number }> {
  const file = await open(path, 'r');
  try {
    const { size, mtimeMs } = await file.stat();
    const hash = createHash('sha256').update(String(size));
    const head = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
    await file.read(head, 0, head.length, 0);
    hash.update(head);
    if (size > SAMPLE_BYTES) {
      const tailLength = Math.min(SAMPLE_BYTES, size - SAMPLE_BYTES);
      const tail = Buffer.alloc(tailLength);
      await file.read(tail, 0, tailLength, size - tailLength);
      hash.update(tail);
    }
    return { id: hash.digest('hex').slice(0, 20), size, mtimeMs };
  } finally {
    await file.close();
  }
}
