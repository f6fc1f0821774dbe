import { Rng } from '../util/random.js';
import { RGB, type Scene, type Shape } from './grammar.js';

/** What the renderer did to a frame that the annotations must know: where the actor was drawn. */
export interface RenderedFrame {
  rgb: Uint8Array;
  /** The actor's drawn centre (camera shake included), or null when invisible. */
  center: [number, number] | null;
  /** The camera shake every object was drawn with (zero outside `helmet`). */
  shake: [number, number];
}

function inside(shape: Shape, dx: number, dy: number, r: number): boolean {
  switch (shape) {
    case 'circle':
      return dx * dx + dy * dy <= r * r;
    case 'square':
      return Math.abs(dx) <= 0.8 * r && Math.abs(dy) <= 0.8 * r;
    case 'cross':
      return (Math.abs(dx) <= 0.3 * r && Math.abs(dy) <= r) || (Math.abs(dy) <= 0.3 * r && Math.abs(dx) <= r);
    case 'triangle': {
      // Equilateral, pointing up, inscribed in the circle of radius r: its centroid is the centre.
      if (dy > 0.5 * r) return false;
      const h = 1.5 * r;
      const halfWidth = ((dy + r) / h) * 0.866 * r;
      return dy >= -r && Math.abs(dx) <= halfWidth;
    }
  }
}

/** Fills a shape with a colour, pixel centres tested against the exact outline (no anti-aliasing). */
function drawShape(rgb: Uint8Array, size: number, shape: Shape, cx: number, cy: number, r: number, color: readonly number[]): void {
  const x0 = Math.max(0, Math.floor(cx - r - 1));
  const x1 = Math.min(size - 1, Math.ceil(cx + r + 1));
  const y0 = Math.max(0, Math.floor(cy - r - 1));
  const y1 = Math.min(size - 1, Math.ceil(cy + r + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!inside(shape, x + 0.5 - cx, y + 0.5 - cy, r)) continue;
      const p = (y * size + x) * 3;
      rgb[p] = color[0];
      rgb[p + 1] = color[1];
      rgb[p + 2] = color[2];
    }
  }
}

/** The domain's static backdrop for a clip. */
function background(scene: Scene, size: number, rng: Rng): Uint8Array {
  const bg = new Uint8Array(size * size * 3);
  const tan = Math.tan((scene.tilt * Math.PI) / 180);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p = (y * size + x) * 3;
      let c: [number, number, number];
      if (scene.domain === 'lab') c = [38, 40, 48];
      else if (scene.domain === 'night') c = [10, 10, 14];
      else if (scene.domain === 'factory') {
        const tile = ((x >> 3) + (y >> 3)) & 1 ? 22 : 0;
        const grain = rng.int(17) - 8;
        c = [92 + tile + grain, 90 + tile + grain, 82 + tile + grain];
      } else {
        // helmet: sky above, ground below a horizon tilted through the centre
        const horizon = size / 2 + (x - size / 2) * tan;
        c = y < horizon ? [110, 150, 200] : [92, 80, 60];
      }
      bg[p] = c[0];
      bg[p + 1] = c[1];
      bg[p + 2] = c[2];
    }
  }
  return bg;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * Renders a scene's frames in its domain's style:
 * `lab` flat background; `factory` tiled grainy floor, a conveyor band whose stripes move every
 * frame and grey parts riding on it; `night` dark, objects dimmed to 35 %, per-pixel sensor noise;
 * `helmet` tilted horizon, camera shake, motion blur (blend with the previous frame) and vignette.
 */
export function renderScene(scene: Scene, size: number, seed: number): RenderedFrame[] {
  const rng = new Rng(seed);
  const bg = background(scene, size, rng);
  const frames: RenderedFrame[] = [];
  const dim = scene.domain === 'night' ? 0.35 : 1;
  const color = (c: readonly number[]) => c.map((v) => Math.round(v * dim));
  const conveyorTop = Math.round(size * 0.8);
  const conveyorBottom = Math.round(size * 0.94);
  const parts = Array.from({ length: 3 }, () => rng.range(0, size));
  let shakeX = 0;
  let shakeY = 0;
  let previous: Uint8Array | undefined;
  for (let f = 0; f < scene.frames.length; f++) {
    const rgb = Uint8Array.from(bg);
    if (scene.domain === 'factory') {
      for (let y = conveyorTop; y < conveyorBottom; y++) {
        for (let x = 0; x < size; x++) {
          const v = ((x + y + 2 * f) >> 2) & 1 ? 100 : 62;
          rgb.fill(v, (y * size + x) * 3, (y * size + x) * 3 + 3);
        }
      }
      for (const p of parts) {
        const px = (p + 3 * f) % size;
        drawShape(rgb, size, 'square', px, (conveyorTop + conveyorBottom) / 2, size * 0.045, [135, 135, 135]);
      }
    }
    if (scene.domain === 'helmet') {
      shakeX = Math.max(-3, Math.min(3, shakeX + rng.range(-1.5, 1.5)));
      shakeY = Math.max(-3, Math.min(3, shakeY + rng.range(-1.5, 1.5)));
    }
    for (const o of scene.others) drawShape(rgb, size, o.shape, o.x + shakeX, o.y + shakeY, o.radius, color(RGB[o.color]));
    const a = scene.frames[f];
    const center: [number, number] | null = a.visible ? [a.x + shakeX, a.y + shakeY] : null;
    if (center) drawShape(rgb, size, scene.actor.shape, center[0], center[1], a.radius, color(RGB[scene.actor.color]));

    if (scene.domain === 'night') {
      for (let i = 0; i < rgb.length; i++) rgb[i] = clamp(rgb[i] + Math.round(rng.normal() * 9));
    }
    if (scene.domain === 'helmet') {
      const blurred = Uint8Array.from(rgb);
      if (previous) for (let i = 0; i < rgb.length; i++) blurred[i] = Math.round(0.65 * rgb[i] + 0.35 * previous[i]);
      previous = rgb;
      const half = size / 2;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const d2 = ((x - half) ** 2 + (y - half) ** 2) / (2 * half * half);
          const k = 1 - 0.55 * d2;
          const p = (y * size + x) * 3;
          for (let c = 0; c < 3; c++) blurred[p + c] = clamp(Math.round(blurred[p + c] * k));
        }
      }
      frames.push({ rgb: blurred, center, shake: [shakeX, shakeY] });
      continue;
    }
    frames.push({ rgb, center, shake: [shakeX, shakeY] });
  }
  return frames;
}
