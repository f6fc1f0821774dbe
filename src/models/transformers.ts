import { join } from 'node:path';
import * as hf from '@huggingface/transformers';
import { usageError, VidlensError } from '../core/errors.js';
import type { Encoder, FrameBatch, FrameTokens, ModelManifest } from './encoder.js';
import { familyFor, KNOWN_FAMILIES, type ModelFamily } from './registry.js';
import { packFrames, pixelSpecFrom, preprocessorSchema, type PixelSpec } from './preprocess.js';
import { l2NormalizeRows } from './vectors.js';
import { hashFiles, sameStamps, stampFiles, type FileStamp } from './weights.js';
import type { ModelSource } from './source.js';
import { config } from '../core/config.js';
import { LIMITS } from '../core/limits.js';

/** The only place transformers.js is configured: quiet logs, a user-level cache, remote loading only for hub ids. */
function configureEnvironment(source: ModelSource): void {
  hf.env.logLevel = hf.LogLevel.ERROR;
  hf.env.allowLocalModels = true;
  hf.env.allowRemoteModels = source.kind === 'hub';
  hf.env.cacheDir = config.modelCache();
  const endpoint = config.hubEndpoint();
  if (endpoint) hf.env.remoteHost = endpoint.endsWith('/') ? endpoint : `${endpoint}/`;
}

/** A model tower as transformers.js exposes it: callable on named tensors, with its ONNX sessions. */
interface Tower {
  (inputs: Record<string, hf.Tensor>): Promise<Record<string, hf.Tensor>>;
  sessions?: Record<string, { inputNames?: string[] }>;
  dispose(): Promise<unknown>;
}

interface TowerClass {
  from_pretrained(id: string, options: Record<string, unknown>): Promise<Tower>;
}

function towerClass(name: string): TowerClass {
  // transformers.js exports each model class by name; the family table holds the names.
  const cls = (hf as unknown as Record<string, TowerClass | undefined>)[name];
  if (!cls) throw new VidlensError(`transformers.js has no model class ${name}`);
  return cls;
}

function pickOutput(outputs: Record<string, hf.Tensor>, names: string[], what: string): hf.Tensor {
  for (const name of names) if (outputs[name]) return outputs[name];
  throw new VidlensError(`the ${what} model returned none of ${names.join(', ')} (got ${Object.keys(outputs).join(', ')})`);
}

/** Feeds a tower only the inputs its ONNX graph declares (tokenizers also return inputs some exports lack). */
function onlyDeclared(tower: Tower, inputs: Record<string, hf.Tensor>): Record<string, hf.Tensor> {
  const names = tower.sessions?.model?.inputNames;
  if (!names) return inputs;
  return Object.fromEntries(Object.entries(inputs).filter(([k]) => names.includes(k)));
}

class TransformersEncoder implements Encoder {
  constructor(
    readonly manifest: ModelManifest,
    private readonly family: ModelFamily,
    private readonly pixels: PixelSpec,
    private readonly vision: Tower,
    private readonly text: Tower,
    private readonly tokenizer: hf.PreTrainedTokenizer,
  ) {}

  prepareFrames(frames: Uint8Array[]): FrameBatch {
    return { pixels: packFrames(frames, this.pixels), count: frames.length };
  }

  async embedFrames(batch: FrameBatch): Promise<Float32Array> {
    const { size } = this.pixels.frame;
    const input = new hf.Tensor('float32', batch.pixels, [batch.count, 3, size, size]);
    const out = pickOutput(await this.vision({ pixel_values: input }), this.family.visionOutputs, 'vision');
    return l2NormalizeRows(Float32Array.from(out.data as Float32Array), out.dims.at(-1) ?? 0);
  }

  async embedFrameTokens(batch: FrameBatch): Promise<FrameTokens> {
    const { size } = this.pixels.frame;
    const input = new hf.Tensor('float32', batch.pixels, [batch.count, 3, size, size]);
    const out = pickOutput(await this.vision({ pixel_values: input }), ['last_hidden_state'], 'vision');
    const [count, n, width] = out.dims;
    // CLIP-style towers put a class token before the grid of patches; SigLIP has none.
    const withClass = Number.isInteger(Math.sqrt(n - 1));
    const tokens = withClass ? n - 1 : n;
    const grid = Math.sqrt(tokens);
    if (!Number.isInteger(grid)) throw new VidlensError(`the vision model's ${n} output tokens are not a square grid of patches (with or without a class token)`);
    const all = out.data as Float32Array;
    const data = new Float32Array(count * tokens * width);
    for (let f = 0; f < count; f++) data.set(all.subarray((f * n + (withClass ? 1 : 0)) * width, (f + 1) * n * width), f * tokens * width);
    return { data, count, tokens, grid, width };
  }

  async embedTexts(texts: string[]): Promise<Float32Array> {
    if (texts.length === 0) return new Float32Array(0);
    // The tokenizer keeps only the model's context (77 tokens for CLIP), far less than the cap: cutting
    // first changes nothing the model sees and keeps a runaway string from being tokenised whole.
    const bounded = texts.map((t) => (t.length > LIMITS.textChars ? t.slice(0, LIMITS.textChars) : t));
    const inputs = this.tokenizer(bounded, {
      padding: this.family.padding,
      truncation: true,
      ...(this.family.maxLength ? { max_length: this.family.maxLength } : {}),
    }) as Record<string, hf.Tensor>;
    const out = pickOutput(await this.text(onlyDeclared(this.text, inputs)), this.family.textOutputs, 'text');
    return l2NormalizeRows(Float32Array.from(out.data as Float32Array), out.dims.at(-1) ?? 0);
  }

  async dispose(): Promise<void> {
    await Promise.all([this.vision.dispose(), this.text.dispose()]);
  }
}

/** Whether a download failed for want of a network (no route, no DNS, refused, timed out), not for a bad model. */
function isNetworkError(error: unknown): boolean {
  const e = error as Error & { cause?: { code?: string } };
  return e.message === 'fetch failed' || ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH'].includes(e.cause?.code ?? '');
}

export interface LoadOptions {
  /** ONNX Runtime intra-op threads (default: ONNX Runtime's own choice). */
  threads?: number;
  /** A previously computed weights hash, reused when the files' size and mtime still match. */
  knownWeights?: { stamps: FileStamp[]; sha256: string };
  /** How messages name the model (default `--model NAME`): e.g. "the default model NAME" when the user named none. */
  label?: string;
}

export interface LoadedEncoder {
  encoder: Encoder;
  stamps: FileStamp[];
}

/**
 * Loads a CLIP-family model (CLIP, SigLIP, Chinese-CLIP, Jina-CLIP) through transformers.js, from a local
 * folder (remote loading off) or by Hugging Face hub id (downloaded once into the user cache).
 */
export async function loadTransformersEncoder(source: ModelSource, options: LoadOptions = {}): Promise<LoadedEncoder> {
  configureEnvironment(source);
  const ref = source.ref;
  const label = options.label ?? `--model ${source.input}`;
  const common = { local_files_only: source.kind === 'local' };
  // A hub model that cannot be fetched: say that the hub is out of reach and how to work offline.
  const failure = (what: string, error: unknown) =>
    source.kind === 'hub' && isNetworkError(error)
      ? usageError(`${label}: cannot reach the Hugging Face hub to download it (${(error as Error).message}); offline, pass --model DIR with a local model folder ('vidlens model pretrained DIR' writes one)`, error)
      : usageError(`${label}: ${what} (${(error as Error).message})`, error);
  let config: { model_type?: string };
  try {
    config = (await hf.AutoConfig.from_pretrained(ref, common)) as { model_type?: string };
  } catch (error) {
    throw failure('cannot read its config.json', error);
  }
  const family = familyFor(config.model_type);
  if (!family) {
    throw usageError(
      `${label}: unsupported model type "${config.model_type ?? 'none'}" (known: ${KNOWN_FAMILIES.join(', ')})`,
    );
  }
  let pixels: PixelSpec;
  let tokenizer: hf.PreTrainedTokenizer;
  let vision: Tower;
  let text: Tower;
  try {
    const processor = await hf.AutoImageProcessor.from_pretrained(ref, common);
    pixels = pixelSpecFrom(preprocessorSchema.parse({ ...processor }));
    tokenizer = await hf.AutoTokenizer.from_pretrained(ref, common);
    const sessionOptions = options.threads ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {};
    const towerOptions = { ...common, dtype: 'fp32', device: 'cpu', session_options: sessionOptions };
    vision = await towerClass(family.visionClass).from_pretrained(ref, towerOptions);
    text = await towerClass(family.textClass).from_pretrained(ref, towerOptions);
  } catch (error) {
    throw failure('cannot load the model', error);
  }

  const weightFiles = ['vision_model.onnx', 'text_model.onnx'].map((f) =>
    source.kind === 'local' ? join(source.ref, 'onnx', f) : join(hf.env.cacheDir ?? '', source.ref, 'onnx', f),
  );
  const stamps = await stampFiles(weightFiles);
  const sha256 = sameStamps(stamps, options.knownWeights?.stamps)
    ? (options.knownWeights?.sha256 ?? '')
    : await hashFiles(weightFiles);

  const partial: ModelManifest = { id: source.id, sha256, dim: 0, family: family.name, frame: pixels.frame };
  const encoder = new TransformersEncoder(partial, family, pixels, vision, text, tokenizer);
  const probe = await encoder.embedTexts(['a video']);
  partial.dim = probe.length;
  return { encoder, stamps };
}
