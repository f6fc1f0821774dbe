import { spawn } from 'node:child_process';

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
}

/** Runs a program with an argument array (never a shell string) and collects its output. */
export function runProgram(program: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64_000) stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr, code }));
  });
}

/** The last meaningful line of an ffmpeg/ffprobe error log, for one-line failure reasons. */
export function lastErrorLine(stderr: string, path?: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.at(-1) ?? 'unknown error';
  return path && line.startsWith(`${path}: `) ? line.slice(path.length + 2) : line;
}
