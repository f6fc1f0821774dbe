import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/**
 * Starts a worker thread on `script`, the built `.js` module beside its caller. Run from the
 * TypeScript sources (the test runner), that file does not exist: the thread then loads the `.ts`
 * source through tsx, which Node's worker `execArgv` cannot do.
 */
export function startThread(script: URL, options: WorkerOptions = {}): Worker {
  // No Node flags: the threads need none, and inherited ones can break them (`--input-type` of a script given by `-e`).
  options = { execArgv: [], ...options };
  if (existsSync(script)) return new Worker(script, options);
  const source = new URL(script.href.replace(/\.js$/, '.ts'));
  const tsx = pathToFileURL(tsxEsmApi()).href;
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/** tsx's ES-module API entry, from its package exports (`require.resolve` would give the CommonJS one). */
function tsxEsmApi(): string {
  const manifest = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return join(dirname(manifest), pkg.exports['./esm/api'].import.default);
}
