import type { Rng } from '../util/random.js';
import { CELL_NAMES, COLORS, gridCell, SHAPES, SIZES, type Motion, type Scene } from './grammar.js';

const PHRASES: Record<Motion, string[]> = {
  left: ['{a} moves to the left', 'the {o} slides left', '{a} travelling leftwards'],
  right: ['{a} moves to the right', 'the {o} slides right', '{a} travelling rightwards'],
  up: ['{a} moves up', 'the {o} rises', '{a} travelling upwards'],
  down: ['{a} moves down', 'the {o} drops', '{a} travelling downwards'],
  still: ['{a} stays still', 'the {o} does not move', '{a} resting in place'],
  grows: ['{a} grows bigger', 'the {o} expands', '{a} getting larger'],
  shrinks: ['{a} gets smaller', 'the {o} shrinks', '{a} contracting'],
  appears: ['{a} appears', 'the {o} shows up', '{a} coming into view'],
  disappears: ['{a} disappears', 'the {o} vanishes', '{a} going out of view'],
};

/** Three paraphrases of what the actor does. */
export function captionsFor(scene: Scene): string[] {
  const { color, shape, size } = scene.actor;
  return PHRASES[scene.motion].map((p) => p.replace('{a}', `a ${size} ${color} ${shape}`).replace('{o}', `${color} ${shape}`));
}

/** Every word of the clip captions above, placeholders filled with every attribute. */
export function captionWords(): string[] {
  const attributes = [...SIZES, ...COLORS, ...SHAPES].join(' ');
  const text = Object.values(PHRASES).flat().map((p) => p.replace('{a}', `a ${attributes}`).replace('{o}', attributes)).join(' ');
  return [...new Set(text.split(/\s+/))];
}

/** Labels in `family:value` form, as the evaluation and training commands read them. */
export function labelsFor(scene: Scene): string[] {
  const { color, shape, size } = scene.actor;
  return [`motion:${scene.motion}`, `color:${color}`, `shape:${shape}`, `size:${size}`, `count:${1 + scene.others.length}`];
}

/** The "noun" classes of the relevancy formula: the actor's attributes. */
export function attributeSet(scene: Scene): string[] {
  return [`color:${scene.actor.color}`, `shape:${scene.actor.shape}`, `size:${scene.actor.size}`];
}

/**
 * Relevancy by the EK100 MIR formula, clips × captions, with the motion in the verb role and the
 * actor's attribute set in the noun role: `½·[motion_i = motion_j] + ½·|A_i ∩ A_j| / |A_i ∪ A_j|`.
 */
export function relevancyMatrix(scenes: Scene[], captionScene: number[]): Float32Array {
  const sets = scenes.map((s) => new Set(attributeSet(s)));
  const out = new Float32Array(scenes.length * captionScene.length);
  scenes.forEach((s, i) => {
    captionScene.forEach((j, c) => {
      const other = scenes[j];
      let inter = 0;
      for (const a of sets[i]) if (sets[j].has(a)) inter++;
      const union = sets[i].size + sets[j].size - inter;
      out[i * captionScene.length + c] = (s.motion === other.motion ? 0.5 : 0) + (0.5 * inter) / union;
    });
  });
  return out;
}

export interface QaItem {
  id: number;
  dataset: string;
  primary_category: 'Identification' | 'Counting' | 'Localization' | 'Prediction';
  question_type: string;
  question_text: string;
  options: string[];
  original_video_fps: number;
  video_path: string[];
  /** Seconds of each frame in `video_path` (an extension of the EgoCross format). */
  frame_times: number[];
  video: string;
  start: number;
  end: number;
}

export interface QaAnswer {
  id: number;
  correct_option_letter: string;
  answer_text: string;
  detailed_answer: string;
}

const VERB: Record<Motion, string> = {
  left: 'moves to the left', right: 'moves to the right', up: 'moves up', down: 'moves down', still: 'stays still',
  grows: 'grows bigger', shrinks: 'gets smaller', appears: 'appears', disappears: 'disappears',
};

const NEXT = ['further left', 'further right', 'further up', 'further down', 'in the same place'];
const NEXT_FOR: Partial<Record<Motion, string>> = { left: 'further left', right: 'further right', up: 'further up', down: 'further down' };

/** Four options with the answer at a random letter; distractors drawn from `pool`. */
function options(rng: Rng, answer: string, pool: readonly string[]): { options: string[]; letter: string } {
  const distractors = rng.shuffle(pool.filter((p) => p !== answer)).slice(0, 3);
  const all = rng.shuffle([answer, ...distractors]);
  const letters = ['A', 'B', 'C', 'D'];
  return { options: all.map((o, i) => `${letters[i]}: ${o}`), letter: letters[all.indexOf(answer)] };
}

/**
 * EgoCross-style questions about one clip, one per category: Identification (colour of the object
 * doing the motion, or the shape of the actor's colour when it stays still like the others),
 * Counting (coloured shapes in view), Localization (3×3 cell of the actor at its last visible frame),
 * Prediction (where the actor will be next).
 */
export function questionsFor(
  scene: Scene,
  rng: Rng,
  base: { firstId: number; video: string; seconds: number; fps: number; framePaths: string[]; frameTimes: number[]; size: number },
): Array<{ item: QaItem; answer: QaAnswer }> {
  const { color, shape } = scene.actor;
  const name = `${color} ${shape}`;
  const common = { dataset: scene.domain, original_video_fps: base.fps, video_path: base.framePaths, frame_times: base.frameTimes, video: base.video, start: 0, end: base.seconds };
  const out: Array<{ item: QaItem; answer: QaAnswer }> = [];
  const add = (category: QaItem['primary_category'], type: string, question: string, answer: string, pool: readonly string[], detail: string) => {
    const o = options(rng, answer, pool);
    const id = base.firstId + out.length;
    out.push({
      item: { id, primary_category: category, question_type: type, question_text: question, options: o.options, ...common },
      answer: { id, correct_option_letter: o.letter, answer_text: answer, detailed_answer: detail },
    });
  };
  if (scene.motion === 'still' && scene.others.length > 0) {
    add('Identification', 'shape identification', `What shape is the ${color} object?`, shape, SHAPES, `The ${color} object is a ${shape}.`);
  } else {
    add('Identification', 'colour identification', `What colour is the object that ${VERB[scene.motion]}?`, color, COLORS, `The object that ${VERB[scene.motion]} is ${color}.`);
  }
  const count = 1 + scene.others.length;
  add('Counting', 'object counting', 'How many coloured shapes appear in the video?', String(count), ['1', '2', '3', '4'], `There are ${count} coloured shapes.`);
  const lastVisible = [...scene.frames].reverse().find((f) => f.visible) ?? scene.frames[scene.frames.length - 1];
  const cell = CELL_NAMES[gridCell(lastVisible.x, lastVisible.y, base.size)];
  const when = scene.motion === 'disappears' ? 'just before it disappears' : 'at the end of the video';
  add('Localization', 'final position', `In which part of the frame is the ${name} ${when}?`, cell, CELL_NAMES, `The ${name} is in the ${cell} of the frame ${when}.`);
  const next = NEXT_FOR[scene.motion] ?? 'in the same place';
  add('Prediction', 'next position', `Where will the ${name} be next?`, next, NEXT, `The ${name} ${VERB[scene.motion]}, so next it will be ${next}.`);
  return out;
}
