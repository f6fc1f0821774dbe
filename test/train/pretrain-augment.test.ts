import { describe, expect, it } from 'vitest';
import { mirrorFrame, mirrorObject } from '../../src/train/pretrain/augment.js';
import { gridCell, sampleScene, SHAPES, type Scene } from '../../src/synth/grammar.js';
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
        expect(Buffer.from(mirrorFrame(f.rgb, SIZE)).equals(Buffer.from(mirrored[i].rgb))).toBe(true);
      });
      if (!Buffer.from(mirrorFrame(frames[0].rgb, SIZE)).equals(Buffer.from(frames[0].rgb))) asymmetric++;
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
});
