import { access, constants, copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { usageError, VidlensError } from '../core/errors.js';

/**
 * The pretrained model shipped with vidlens: a small CLIP of the synthetic world, trained by
 * `npm run model:pretrain` (the folder also holds `pretraining.json`, how it was trained). It sits at
 * the package root, two levels above this module in both `src/` and `dist/`.
 */
export const BUNDLED_MODEL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models', 'synth-clip');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

/** Whether a path can be created or written: its nearest existing ancestor is a writable folder. */
async function writableTarget(path: string): Promise<boolean> {
  let probe = resolve(path);
  for (;;) {
    try {
      const s = await stat(probe);
      if (!s.isDirectory()) return false;
      await access(probe, constants.W_OK);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
      const parent = dirname(probe);
      if (parent === probe) return false;
      probe = parent;
    }
  }
}

/**
 * Writes the bundled pretrained model into `dir` (the transformers.js layout, loaded like any local
 * model). Refuses a file, an unwritable place, and a non-empty folder unless `force`.
 */
export async function writePretrainedModel(dir: string, options: { force?: boolean } = {}): Promise<string[]> {
  const files = await filesUnder(BUNDLED_MODEL_DIR).catch((): string[] => []);
  if (!files.includes('config.json')) {
    throw new VidlensError(`the bundled pretrained model is missing from ${BUNDLED_MODEL_DIR} (rebuild it with npm run model:pretrain)`);
  }
  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw usageError(`DIR ${dir}: exists and is not a folder`);
  if (existing && (await readdir(dir)).length > 0 && !options.force) throw usageError(`DIR ${dir}: is not empty (add --force to overwrite the model files in it)`);
  if (!(await writableTarget(dir))) throw usageError(`DIR ${dir}: cannot be written (permission denied or not a folder)`);
  for (const file of files) {
    const target = join(dir, file);
    await mkdir(dirname(target), { recursive: true });
    if (options.force) await rm(target, { force: true });
    await copyFile(join(BUNDLED_MODEL_DIR, file), target);
  }
  return files;
}
