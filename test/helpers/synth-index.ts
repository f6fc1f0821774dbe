import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { vidlens } from './cli.js';

/**
 * The fixture the training tests share: the tiny model, a two-domain synthetic set of 20 clips and
 * an index of it, all under `root`. Returns the model's sha256 (what trained folders record).
 */
export async function indexedSynth(root: string): Promise<{ synth: string; db: string; model: string; sha256: string }> {
  const synth = join(root, 'synth');
  const db = join(root, 'db');
  const model = join(root, 'tiny');
  expect((await vidlens(['model', 'tiny', model])).code).toBe(0);
  expect((await vidlens(['synth', '--out', synth, '--per-domain', '10', '--domains', 'lab,night'])).code).toBe(0);
  expect((await vidlens(['index', join(synth, 'videos'), '--db', db, '--model', model])).code).toBe(0);
  const sha256 = (JSON.parse(readFileSync(join(db, 'vidlens-manifest.json'), 'utf8')) as { model: { sha256: string } }).model.sha256;
  return { synth, db, model, sha256 };
}
