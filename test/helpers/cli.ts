import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'vidlens.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`bin/vidlens.js`) as a user would, without a shell. */
export function vidlens(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; unprivileged?: boolean } = {}): Promise<CliResult> {
  // Root ignores file permissions, so when the suite runs as root (as CI does) a test of a read-only
  // folder runs the CLI without the capabilities that override them; otherwise they already apply.
  const dropped = options.unprivileged && process.getuid?.() === 0;
  const [command, prefix] = dropped ? ['setpriv', ['--bounding-set=-dac_override,-dac_read_search,-fowner', process.execPath]] : [process.execPath, []];
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the CLI with --json and parses stdout, failing loudly with stderr when it is not JSON. */
export async function vidlensJson<T = Record<string, unknown>>(args: string[]): Promise<{ code: number | null; json: T; stderr: string }> {
  const result = await vidlens([...args, '--json']);
  try {
    return { code: result.code, json: JSON.parse(result.stdout) as T, stderr: result.stderr };
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
}
