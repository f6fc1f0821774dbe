/**
 * The point readout's fixed geometry, plain JS: Fourier features of normalised points, patch centres of
 * a `grid × grid` token layout, and bilinear sampling weights of a point over the patches.
 */

/** Frequency bases per coordinate (SciVid's tracking readout uses 16). */
export const FOURIER_BASES = 16;
export const FOURIER_WIDTH = 4 * FOURIER_BASES;

/** `[sin, cos](π·k·x)` and the same of y for k = 1…16, per point: `points × 64`. */
export function fourier(points: ReadonlyArray<readonly [number, number]>): Float32Array {
  const out = new Float32Array(points.length * FOURIER_WIDTH);
  points.forEach(([x, y], i) => {
    for (let k = 0; k < FOURIER_BASES; k++) {
      const o = i * FOURIER_WIDTH + 4 * k;
      const f = Math.PI * (k + 1);
      out[o] = Math.sin(f * x);
      out[o + 1] = Math.cos(f * x);
      out[o + 2] = Math.sin(f * y);
      out[o + 3] = Math.cos(f * y);
    }
  });
  return out;
}

/** Centres of the patches in row-major order, normalised: patch `r·grid + c` at ((c + ½)/grid, (r + ½)/grid). */
export function patchCentres(grid: number): Array<[number, number]> {
  return Array.from({ length: grid * grid }, (_, n) => [((n % grid) + 0.5) / grid, (Math.floor(n / grid) + 0.5) / grid]);
}

/** Bilinear weights of a point over the patch centres (`grid²` weights summing to 1; clamped at the border). */
export function bilinearWeights([x, y]: readonly [number, number], grid: number): Float32Array {
  const w = new Float32Array(grid * grid);
  const clamp = (v: number) => Math.min(grid - 1, Math.max(0, v));
  const u = clamp(x * grid - 0.5);
  const v = clamp(y * grid - 0.5);
  const [c0, r0] = [Math.floor(u), Math.floor(v)];
  const [c1, r1] = [Math.min(grid - 1, c0 + 1), Math.min(grid - 1, r0 + 1)];
  const [fu, fv] = [u - c0, v - r0];
  w[r0 * grid + c0] += (1 - fu) * (1 - fv);
  w[r0 * grid + c1] += fu * (1 - fv);
  w[r1 * grid + c0] += (1 - fu) * fv;
  w[r1 * grid + c1] += fu * fv;
  return w;
}
