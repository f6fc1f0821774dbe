import { VidlensError } from '../core/errors.js';

/**
 * A problem with the index folder itself. The message starts with the folder; callers that know
 * which flag named it (the CLI's `--db`) put the flag in front.
 */
export class StoreError extends VidlensError {
  constructor(
    readonly dir: string,
    problem: string,
    cause?: unknown,
  ) {
    super(`${dir}: ${problem}`, { kind: 'usage', cause });
    this.name = 'StoreError';
  }
}

/** What to do about a damaged index, said the same way everywhere. */
export const DAMAGED_ADVICE = "restore the index folder from a backup, or rebuild it (move it away and run 'vidlens index' again)";

/** Whether an error comes from LanceDB's native side (its messages carry Rust source paths). */
export function isLanceError(error: unknown): error is Error {
  return error instanceof Error && !(error instanceof VidlensError) && (/\.rs:\d+:\d+/.test(error.message) || /^(lance error|LanceError)/i.test(error.message));
}

/** A LanceDB message without its Rust source paths and cause chain: the first thing it says. */
export function lanceReason(error: Error): string {
  const first = error.message.split(/\s+Caused by:/)[0];
  return first.replace(/,?\s*\/[^\s,]+\.rs:\d+:\d+/g, '').replace(/\s+/g, ' ').trim();
}
