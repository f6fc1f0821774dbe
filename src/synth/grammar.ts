import type { Rng } from '../util/random.js';

export const SHAPES = ['circle', 'square', 'triangle', 'cross'] as const;
export const COLORS = ['red', 'green', 'blue', 'yellow', 'white'] as const;
export const SIZES = ['small', 'large'] as const;
export const MOTIONS = ['left', 'right', 'up', 'down', 'still', 'grows', 'shrinks', 'appears', 'disappears'] as const;
export const DOMAINS = ['lab', 'factory', 'night', 'helmet'] as const;

export type Shape = (typeof SHAPES)[number];
export type Color = (typeof COLORS)[number];
export type Size = (typeof SIZES)[number];
export type Motion = (typeof MOTIONS)[number];
export type Domain = (typeof DOMAINS)[number];

export const RGB: Record<Color, [number, number, number]> = {
  red: [230, 40, 40],
  green: [40, 200, 60],
  blue: [50, 90, 235],
  yellow: [235, 220, 40],
  white: [245, 245, 245],
};

export interface SceneObject {
  shape: Shape;
  color: Color;
  size: Size;
}

/** The actor's state in one frame: centre (pixels), radius (pixels), visibility. */
export interface ActorState {
  x: number;
  y: number;
  radius: number;
  visible: boolean;
}

export interface Scene {
  domain: Domain;
  actor: SceneObject;
  motion: Motion;
  /** Still objects besides the actor (0–2), with their centres and radii. */
  others: Array<SceneObject & { x: number; y: number; radius: number }>;
  /** One state per frame. */
  frames: ActorState[];
  /** The actor's centre in the next 4 frames after the clip, continuing its motion. */
  future: Array<[number, number]>;
  /** Tilt of the horizon in degrees (helmet), else 0. */
  tilt: number;
}

/**
 * Each domain shifts the attribute distribution, as real domains do: the factory favours squares
 * and crosses (parts, markers) and large objects; at night lights dominate (white, yellow); on a
 * helmet camera, sideways motion (head turns) is twice as common. The lab is uniform.
 */
export const DOMAIN_WEIGHTS: Record<Domain, { shape: number[]; color: number[]; size: number[]; motion: number[] }> = {
  lab: { shape: [1, 1, 1, 1], color: [1, 1, 1, 1, 1], size: [1, 1], motion: [1, 1, 1, 1, 1, 1, 1, 1, 1] },
  factory: { shape: [1, 2, 1, 2], color: [1, 1, 1, 1, 1], size: [1, 2], motion: [1, 1, 1, 1, 1, 1, 1, 1, 1] },
  night: { shape: [1, 1, 1, 1], color: [1, 1, 1, 2, 3], size: [1, 1], motion: [1, 1, 1, 1, 1, 1, 1, 1, 1] },
  helmet: { shape: [1, 1, 1, 1], color: [1, 1, 1, 1, 1], size: [1, 1], motion: [2, 2, 1, 1, 1, 1, 1, 1, 1] },
};

export const RADIUS_FRACTION: Record<Size, number> = { small: 0.07, large: 0.11 };

/** Sizes of change: a moving actor travels this share of the frame; grow/shrink scales between these factors. */
const TRAVEL = 0.4;
const SCALE_RANGE: [number, number] = [0.6, 1.4];
/** Appears/disappears switch at this share of the clip. */
const SWITCH = 0.5;

export function sampleObject(rng: Rng, domain: Domain): SceneObject {
  const w = DOMAIN_WEIGHTS[domain];
  return { shape: rng.weighted(SHAPES, w.shape), color: rng.weighted(COLORS, w.color), size: rng.weighted(SIZES, w.size) };
}

function direction(motion: Motion): [number, number] {
  if (motion === 'left') return [-1, 0];
  if (motion === 'right') return [1, 0];
  if (motion === 'up') return [0, -1];
  if (motion === 'down') return [0, 1];
  return [0, 0];
}

/**
 * Samples a scene: an actor with a motion and 0–2 still objects of other colours that never overlap
 * the actor's path, all kept fully inside the frame (with room for camera shake).
 */
export function sampleScene(rng: Rng, domain: Domain, size: number, frames: number): Scene {
  const actor = sampleObject(rng, domain);
  const motion = rng.weighted(MOTIONS, DOMAIN_WEIGHTS[domain].motion);
  const base = RADIUS_FRACTION[actor.size] * size;
  const maxRadius = motion === 'grows' || motion === 'shrinks' ? base * SCALE_RANGE[1] : base;
  const margin = maxRadius + size * 0.06;
  const [dx, dy] = direction(motion);
  const travel = TRAVEL * size;
  // Start so that the whole path, and the 4 future steps, stay inside the margins.
  const step = travel / Math.max(frames - 1, 1);
  const extent = travel + 4 * step;
  const lo = (d: number) => (d < 0 ? margin + extent : margin);
  const hi = (d: number) => (d > 0 ? size - margin - extent : size - margin);
  const x0 = rng.range(lo(dx), hi(dx));
  const y0 = rng.range(lo(dy), hi(dy));
  const states: ActorState[] = [];
  for (let f = 0; f < frames; f++) {
    const t = frames > 1 ? f / (frames - 1) : 0;
    const scale = motion === 'grows' ? SCALE_RANGE[0] + (SCALE_RANGE[1] - SCALE_RANGE[0]) * t : motion === 'shrinks' ? SCALE_RANGE[1] - (SCALE_RANGE[1] - SCALE_RANGE[0]) * t : 1;
    const visible = motion === 'appears' ? t >= SWITCH : motion === 'disappears' ? t < SWITCH : true;
    states.push({ x: x0 + dx * travel * t, y: y0 + dy * travel * t, radius: base * scale, visible });
  }
  const last = states[states.length - 1];
  const future: Array<[number, number]> = [1, 2, 3, 4].map((k) => [last.x + dx * step * k, last.y + dy * step * k]);

  const others: Scene['others'] = [];
  const count = rng.int(3);
  const usedColors = new Set<Color>([actor.color]);
  for (let attempt = 0; others.length < count && attempt < 200; attempt++) {
    const o = sampleObject(rng, domain);
    if (usedColors.has(o.color)) continue;
    const r = RADIUS_FRACTION[o.size] * size;
    const m = r + size * 0.06;
    const x = rng.range(m, size - m);
    const y = rng.range(m, size - m);
    const clear = (px: number, py: number, pr: number) => Math.hypot(px - x, py - y) > pr + r + size * 0.04;
    if (!states.every((s) => clear(s.x, s.y, s.radius)) || !future.every(([fx, fy]) => clear(fx, fy, maxRadius))) continue;
    if (!others.every((q) => clear(q.x, q.y, q.radius))) continue;
    usedColors.add(o.color);
    others.push({ ...o, x, y, radius: r });
  }
  return { domain, actor, motion, others, frames: states, future, tilt: domain === 'helmet' ? rng.range(-18, 18) : 0 };
}

/** The 3×3 grid cell of a point: 0..8, row-major from the top left. */
export function gridCell(x: number, y: number, size: number): number {
  const col = Math.min(2, Math.max(0, Math.floor((3 * x) / size)));
  const row = Math.min(2, Math.max(0, Math.floor((3 * y) / size)));
  return row * 3 + col;
}

export const CELL_NAMES = ['top left', 'top centre', 'top right', 'middle left', 'centre', 'middle right', 'bottom left', 'bottom centre', 'bottom right'];
