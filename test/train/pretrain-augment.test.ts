import { describe, expect, it } from 'vitest';
import { flipHorizontal } from '../../src/media/frames.js';
import { mirrorObject, trainingBatch } from '../../src/train/pretrain/augment.js';
import type { FrameObject } from '../../src/train/pretrain/frame-captions.js';
import { gridCell, RGB, sampleScene, SHAPES, type Scene } from '../../src/synth/grammar.js';
import { renderScene } from '../../src/synth/render.js';
import { Rng } from '../../src/util/random.js';

const SIZE = 64;

function mirrorScene(scene: Scene): Scene {
  return {
    ...scene,
    others: scene.others.map((o) => ({ ...o, x: SIZE - o.x })),
    frames: scene.frames.map((f) => ({ ...f, x: SIZE - f.x })),
  };
}

/** The colour drawn at an object's centre, as RGB. */
function centre(rgb: Uint8Array, o: FrameObject): number[] {
  const p = (Math.floor(o.disc!.y * SIZE) * SIZE + Math.floor(o.disc!.x * SIZE)) * 3;
  return [rgb[p], rgb[p + 1], rgb[p + 2]];
}

describe('pretraining augmentation', () => {
  it('a mirrored lab frame is the frame of the mirrored scene, for every shape', () => {
    const rng = new Rng(5);
    const seen = new Set<string>();
    let asymmetric = 0;
    for (let k = 0; k < 12; k++) {
      const scene = sampleScene(rng, 'lab', SIZE, 4);
      for (const o of [scene.actor, ...scene.others]) seen.add(o.shape);
      const frames = renderScene(scene, SIZE, 9);
      const mirrored = renderScene(mirrorScene(scene), SIZE, 9);
      frames.forEach((f, i) => {
        expect(Buffer.from(flipHorizontal(f.rgb, SIZE)).equals(Buffer.from(mirrored[i].rgb))).toBe(true);
      });
      if (!Buffer.from(flipHorizontal(frames[0].rgb, SIZE)).equals(Buffer.from(frames[0].rgb))) asymmetric++;
    }
    expect(asymmetric).toBeGreaterThanOrEqual(10);
    expect([...seen].sort()).toEqual([...SHAPES].sort());
  });

  it('a mirrored object keeps its row and attributes and takes the mirrored column and disc', () => {
    for (let x = 1; x < SIZE; x += 7) {
      for (let y = 1; y < SIZE; y += 9) {
        const o = mirrorObject({ shape: 'triangle', color: 'red', size: 'small', cell: gridCell(x, y, SIZE), disc: { x: x / SIZE, y: y / SIZE, r: 0.05 } });
        expect(o.cell).toBe(gridCell(SIZE - x, y, SIZE));
        expect(o.disc).toEqual({ x: 1 - x / SIZE, y: y / SIZE, r: 0.05 });
        expect([o.shape, o.color, o.size]).toEqual(['triangle', 'red', 'small']);
      }
    }
  });

  it('a training batch mirrors a frame and what it shows together, only where asked, asking once per frame', () => {
    const rng = new Rng(8);
    const data: { rgb: Uint8Array[]; objects: FrameObject[][] } = { rgb: [], objects: [] };
    while (data.rgb.length < 8) {
      const scene = sampleScene(rng, 'lab', SIZE, 1);
      const rgb = renderScene(scene, SIZE, 3)[0].rgb;
      const objects = scene.others
        .map((s) => ({ shape: s.shape, color: s.color, size: s.size, cell: gridCell(s.x, s.y, SIZE), disc: { x: s.x / SIZE, y: s.y / SIZE, r: s.radius / SIZE } }))
        .filter((o) => centre(rgb, o).join() === RGB[o.color].join() && o.cell % 3 !== 1);
      if (objects.length === 0) continue;
      data.rgb.push(rgb);
      data.objects.push(objects);
    }
    const pattern = [true, false, true, true, false, false, true, false];
    let asked = 0;
    const idx = [7, 6, 5, 4, 3, 2, 1, 0];
    const batch = trainingBatch(data, idx, SIZE, () => pattern[asked++]);
    expect(asked).toBe(idx.length);
    idx.forEach((i, j) => {
      const mirrored = pattern[j];
      expect(Buffer.from(batch.frames[j]).equals(Buffer.from(mirrored ? flipHorizontal(data.rgb[i], SIZE) : data.rgb[i]))).toBe(true);
      expect(batch.objects[j]).toEqual(mirrored ? data.objects[i].map(mirrorObject) : data.objects[i]);
      // The objects still sit where the frame draws them: the colour at each one's centre is its own.
      for (const o of batch.objects[j]) expect(centre(batch.frames[j], o), `frame ${j}`).toEqual([...RGB[o.color]]);
      if (mirrored) expect(batch.objects[j].map((o) => o.cell)).not.toEqual(data.objects[i].map((o) => o.cell));
    });
  });
});
