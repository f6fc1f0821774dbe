/**
 * The one error type vidlens raises on purpose. `kind` decides the exit code:
 * `usage` and `input` are the caller's to fix (exit 2), `runtime` is ours or the environment's.
 */
export type ErrorKind = 'usage' | 'input' | 'runtime';

export class VidlensError extends Error {
  readonly kind: ErrorKind;

  constructor(message: string, options: { kind?: ErrorKind; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VidlensError';
    this.kind = options.kind ?? 'runtime';
  }
}

/** Bad input: names the file or flag and the reason. */
export function inputError(message: string, cause?: unknown): VidlensError {
  return new VidlensError(message, { kind: 'input', cause });
}

/** A flag or argument the user must change. */
export function usageError(message: string, cause?: unknown): VidlensError {
  return new VidlensError(message, { kind: 'usage', cause });
}

/** Short, single-line description of any thrown value, for per-file failure lists. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.message;
  return String(error);
}

/** An input error listing every problem found (the first `shown` of them), so one pass fixes them all. */
export function listedInputError(header: string, problems: string[], shown = 10): VidlensError {
  const lines = problems.slice(0, shown).map((p) => `  ${p}`);
  if (problems.length > shown) lines.push(`  … and ${problems.length - shown} more`);
  return inputError(`${header}\n${lines.join('\n')}`);
}
