import type { Scene } from './grammar.js';

type Point = [number, number];

const unit = (v: number, size: number) => Math.round((v / size) * 10000) / 10000;
const unitPoint = ([x, y]: Point, size: number): Point => [unit(x, size), unit(y, size)];

/**
 * The clip's point tracks as `vidlens train|eval tracking` reads them, coordinates in [0, 1]: one query
 * point per object visible in the first frame (the actor, then the still objects) at its drawn centre,
 * and `endpoints[i]`, the same object's drawn centre in the last frame, `valid[i]` when it is visible
 * there (an actor that disappears is not). Drawn centres include the camera shake of that frame.
 */
export function trackingRecord(scene: Scene, centers: ReadonlyArray<Point | null>, shakes: readonly Point[], size: number) {
  const last = shakes.length - 1;
  const at = (x: number, y: number, f: number): Point => unitPoint([x + shakes[f][0], y + shakes[f][1]], size);
  const queries: Point[] = [];
  const endpoints: Point[] = [];
  const valid: boolean[] = [];
  if (centers[0]) {
    const end = scene.frames[last];
    queries.push(unitPoint(centers[0], size));
    endpoints.push(at(end.x, end.y, last));
    valid.push(centers[last] !== null);
  }
  for (const o of scene.others) {
    queries.push(at(o.x, o.y, 0));
    endpoints.push(at(o.x, o.y, last));
    valid.push(true);
  }
  return { queries, endpoints, valid };
}

/**
 * The actor's centre as a series, for `vidlens train|eval forecast`, in [0, 1]: `history`, its drawn
 * centre in every rendered frame (null while invisible), and `values`, its next 4 positions as the
 * motion continues, one rendered frame apart.
 */
export function forecastRecord(scene: Scene, centers: ReadonlyArray<Point | null>, size: number) {
  return {
    history: centers.map((c) => (c ? unitPoint(c, size) : null)),
    values: scene.future.map((p) => unitPoint(p, size)),
  };
}
