import { homedir } from 'node:os';
import { join } from 'node:path';
import { usageError } from './errors.js';

/** A variable that holds a positive integer: its value, undefined when unset, an error naming it otherwise. */
function positiveInteger(name: string): number | undefined {
  const raw = process.env[name];
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw usageError(`${name}=${raw}: not a positive integer (unset it for the default)`);
  return value;
}

/**
 * The one place vidlens reads its environment. Each value is read when asked for (not at import),
 * so a test or an embedding program can set the variable first.
 */
export const config = {
  /** `--db` when not given: `VIDLENS_DB`, else `./vidlens-db`. */
  db: (): string => process.env.VIDLENS_DB || './vidlens-db',
  /** The model of a new index when `--model` is not given: `VIDLENS_MODEL`, else CLIP ViT-B/32 from the hub. */
  model: (): string => process.env.VIDLENS_MODEL || 'Xenova/clip-vit-base-patch32',
  /** `HF_ENDPOINT`: another Hugging Face hub address (a mirror), as the hub's own tools read it. */
  hubEndpoint: (): string | undefined => process.env.HF_ENDPOINT || undefined,
  /** Where hub models are downloaded once: `VIDLENS_CACHE`, else `~/.cache/vidlens/models`. */
  modelCache: (): string => process.env.VIDLENS_CACHE || join(homedir(), '.cache', 'vidlens', 'models'),
  /** `FFMPEG_PATH` / `FFPROBE_PATH`: explicit media binaries, preferred over the system's and the bundled ones. */
  ffmpegPath: (): string | undefined => process.env.FFMPEG_PATH || undefined,
  ffprobePath: (): string | undefined => process.env.FFPROBE_PATH || undefined,
  /** Where `vidlens serve` keeps its token when `--token-file` is not given: `VIDLENS_TOKEN_FILE`, else `~/.config/vidlens/serve-token`. */
  tokenFile: (): string => process.env.VIDLENS_TOKEN_FILE || join(homedir(), '.config', 'vidlens', 'serve-token'),
  /** `VIDLENS_TOKEN`: the token `vidlens search --server` sends. */
  token: (): string | undefined => process.env.VIDLENS_TOKEN || undefined,
  /** `VIDLENS_ANN_THRESHOLD`: segments from which `vidlens index` builds the ANN index (undefined: the default). */
  annThreshold: (): number | undefined => positiveInteger('VIDLENS_ANN_THRESHOLD'),
  /**
   * `VIDLENS_ANN_REFINE`: candidates re-ranked on the full vectors per result wanted (undefined: the
   * default): higher is slower and closer to the exact scan.
   */
  annRefine: (): number | undefined => positiveInteger('VIDLENS_ANN_REFINE'),
  /** `VIDLENS_ANN_EF`: the breadth of the ANN index's graph search (undefined: the default): higher finds more across the modality gap, slower. */
  annEf: (): number | undefined => positiveInteger('VIDLENS_ANN_EF'),
  /** `VIDLENS_DEBUG=1`: stack traces for unexpected errors. */
  debug: (): boolean => Boolean(process.env.VIDLENS_DEBUG),
  /** The search path for system binaries. */
  path: (): string => process.env.PATH ?? '',
  /** An API key from the variable the user named (`--llm-key-env`). */
  secret: (name: string): string | undefined => process.env[name] || undefined,
};
