import type { FrameSpec } from '../media/frames.js';

/** Normalised pixels for `count` frames, laid out `[count, 3, size, size]` (NCHW). */
export interface FrameBatch {
  pixels: Float32Array;
  count: number;
}

/** Patch tokens of a batch of frames: `count × tokens × width` floats, `tokens = grid²`. */
export interface FrameTokens {
  data: Float32Array;
  count: number;
  tokens: number;
  grid: number;
  width: number;
}

/** What an index records about the model that produced its vectors. */
export interface ModelManifest {
  id: string;
  sha256: string;
  dim: number;
  family: string;
  frame: FrameSpec;
}

/**
 * The one boundary between vidlens and a video–language model. Frames and texts map into one
 * space of `dim` dimensions; every returned vector is L2-normalised, so a dot product is a cosine.
 */
export interface Encoder {
  readonly manifest: ModelManifest;
  /** Turns packed RGB24 frames (HWC, `frame.size` square) into a batch of model-ready pixels. */
  prepareFrames(frames: Uint8Array[]): FrameBatch;
  /** One vector per frame, `[count * dim]`. */
  embedFrames(batch: FrameBatch): Promise<Float32Array>;
  /**
   * The vision tower's patch tokens before pooling (dense features, REFERENCES §5): `[count, tokens, width]`
   * in row-major patch order (`grid × grid`), the class token left out.
   */
  embedFrameTokens(batch: FrameBatch): Promise<FrameTokens>;
  /** One vector per text, `[texts.length * dim]`. */
  embedTexts(texts: string[]): Promise<Float32Array>;
  dispose(): Promise<void>;
}
