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
