import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { usageError } from '../core/errors.js';

/** Where a model comes from: a local folder in the transformers.js layout, or a Hugging Face hub id. */
export interface ModelSource {
  kind: 'local' | 'hub';
  /** What the user typed. */
  input: string;
  /** Absolute folder or hub id, as handed to transformers.js. */
  ref: string;
  /** The id recorded in the index manifest: the hub id, or `local:<folder name>`. */
  id: string;
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/**
 * Resolves `--model`: an existing directory loads locally with remote loading off; an `owner/name`
 * that is not a directory is a hub id; anything else is a usage error naming the flag.
 */
export function resolveModelSource(input: string): ModelSource {
  if (existsSync(input)) {
    if (!statSync(input).isDirectory()) throw usageError(`--model ${input}: not a directory (expected a model folder or a hub id)`);
    const ref = resolve(input);
    if (!existsSync(resolve(ref, 'config.json'))) {
      throw usageError(`--model ${input}: the folder has no config.json (expected the transformers.js layout; see 'vidlens model tiny')`);
    }
    return { kind: 'local', input, ref, id: `local:${basename(ref)}` };
  }
  const looksLikePath = input.startsWith('.') || input.startsWith('/') || input.startsWith('~') || input.split('/').length > 2;
  if (looksLikePath || !HUB_ID.test(input)) {
    throw usageError(`--model ${input}: no such folder, and not a hub id of the form owner/name`);
  }
  return { kind: 'hub', input, ref: input, id: input };
}
