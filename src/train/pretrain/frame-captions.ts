import type { Rng } from '../../util/random.js';
import { CELL_NAMES, type Color, type Shape, type Size } from '../../synth/grammar.js';

/** An object visible in one frame, with the 3×3 cell of its centre. */
export interface FrameObject {
  shape: Shape;
  color: Color;
  size: Size;
  cell: number;
  /** Where it is drawn: centre and radius as fractions of the frame side (shake included). */
  disc?: { x: number; y: number; r: number };
}

/** What a caption claims about one object; unset fields claim nothing. */
export interface Descriptor {
  shape?: Shape;
  color?: Color;
  size?: Size;
  cell?: number;
}

/** A frame caption and its meaning: every descriptor matches some object, or (`empty`) nothing is in view. */
export interface FrameCaption {
  text: string;
  descriptors: Descriptor[];
  empty: boolean;
}

const PREFIXES = ['', '', 'a video of ', 'a photo of ', 'there is '];
const EMPTY = ['an empty scene', 'nothing in view', 'there is nothing'];

function describe(rng: Rng, o: FrameObject): { phrase: string; descriptor: Descriptor } {
  // Colour is the easiest attribute to match, so partial captions leave it out more often than shape
  // or size: captions such as "a small circle" make shape and size the only way to tell frames apart.
  const full = rng.uniform() < 0.35;
  let keep = full ? [true, true, true] : [rng.uniform() < 0.6, rng.uniform() < 0.3, rng.uniform() < 0.7];
  if (!keep.some(Boolean)) {
    const only = rng.int(3);
    keep = [0, 1, 2].map((i) => i === only);
  }
  const [withSize, withColor, withShape] = keep;
  const place = rng.uniform() < 0.5;
  const descriptor: Descriptor = {
    ...(withSize ? { size: o.size } : {}),
    ...(withColor ? { color: o.color } : {}),
    ...(withShape ? { shape: o.shape } : {}),
    ...(place ? { cell: o.cell } : {}),
  };
  const words = [withSize ? o.size : '', withColor ? o.color : ''].filter(Boolean);
  // A lone attribute is sometimes just the word ("red"), as zero-shot prompts name a class ("a video of red.").
  if (!place && words.length + (withShape ? 1 : 0) === 1 && rng.uniform() < 0.4) return { phrase: withShape ? o.shape : words[0], descriptor };
  const noun = withShape ? o.shape : rng.pick(['object', 'shape', 'thing']);
  const article = rng.uniform() < 0.7 ? 'a' : 'the';
  const where = place ? ` ${rng.pick(['at', 'in'])} the ${CELL_NAMES[o.cell]}` : '';
  return { phrase: `${article} ${[...words, noun].join(' ')}${where}`, descriptor };
}

/**
 * A random true caption of a frame: one object or all of them (in random order), each with a random
 * subset of its attributes and, half the time, its cell; with a prefix and optional full stop.
 */
export function captionFrame(rng: Rng, objects: FrameObject[]): FrameCaption {
  const stop = rng.uniform() < 0.5 ? '.' : '';
  if (objects.length === 0) return { text: `${rng.pick(EMPTY)}${stop}`, descriptors: [], empty: true };
  const chosen = rng.uniform() < 0.5 ? [rng.pick(objects)] : rng.shuffle([...objects]);
  const parts = chosen.map((o) => describe(rng, o));
  return { text: `${rng.pick(PREFIXES)}${parts.map((p) => p.phrase).join(' and ')}${stop}`, descriptors: parts.map((p) => p.descriptor), empty: false };
}

function matches(d: Descriptor, o: FrameObject): boolean {
  return (d.shape === undefined || d.shape === o.shape) && (d.color === undefined || d.color === o.color)
    && (d.size === undefined || d.size === o.size) && (d.cell === undefined || d.cell === o.cell);
}

/** Whether a caption is true of a frame: the positives of the contrastive loss, beyond the frame's own caption. */
export function captionHolds(caption: FrameCaption, objects: FrameObject[]): boolean {
  if (caption.empty) return objects.length === 0;
  return caption.descriptors.every((d) => objects.some((o) => matches(d, o)));
}

/** Every word the captions above use, for the tokenizer's whole-word tokens. */
export const FRAME_CAPTION_WORDS = ['video', 'photo', 'there', 'is', 'an', 'the', 'at', 'in', 'of', 'and', 'object', 'shape', 'thing', 'empty', 'scene', 'nothing', 'view'];
