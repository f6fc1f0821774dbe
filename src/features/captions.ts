import type { Encoder } from '../models/encoder.js';

/** Every caption of a dataset, flattened, with the clip each belongs to. */
export interface CaptionSet {
  captions: string[];
  /** `captionClip[j]` is the index of caption j's clip. */
  captionClip: number[];
}

export function captionSet(clips: ReadonlyArray<{ captions: string[] }>): CaptionSet {
  const captions: string[] = [];
  const captionClip: number[] = [];
  clips.forEach((c, i) => {
    for (const t of c.captions) {
      captions.push(t);
      captionClip.push(i);
    }
  });
  return { captions, captionClip };
}

/** Text features `texts × dim`, embedded in batches of `batch` (bounded memory for long caption lists). */
export async function embedTexts(encoder: Encoder, texts: string[], batch = 64): Promise<Float32Array> {
  const dim = encoder.manifest.dim;
  const out = new Float32Array(texts.length * dim);
  for (let i = 0; i < texts.length; i += batch) out.set(await encoder.embedTexts(texts.slice(i, i + batch)), i * dim);
  return out;
}
