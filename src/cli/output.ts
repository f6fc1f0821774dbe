/** Everything a command prints goes through here: one JSON document on stdout with --json, human text otherwise. */
export interface Output {
  json: boolean;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Diagnostics and hints: always stderr, so stdout stays machine-readable. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Formats seconds as m:ss.s (or h:mm:ss.s). */
export function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = (seconds % 60).toFixed(1).padStart(4, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
