import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadClipsJsonl } from '../../src/eval/datasets/clips.js';
import { loadEgoCross } from '../../src/eval/datasets/egocross.js';
import { decodeFrames } from '../../src/media/decode.js';
import { probeVideo } from '../../src/media/probe.js';
import { CELL_NAMES, gridCell, RGB, type Color } from '../../src/synth/grammar.js';
import { readNpy } from '../../src/util/npy.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir();
const a = join(root, 'a');
const b = join(root, 'b');
const other = join(root, 'other-seed');
const lab = join(root, 'lab');
const ANNOTATIONS = ['clips.jsonl', 'captions.jsonl', 'relevancy.npy', 'qa.json', 'qa_answers.json', 'tracks.jsonl', 'tracking.jsonl', 'forecast.jsonl', 'README.md'];

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const jsonl = <T>(path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as T);

interface Track {
  clip: number;
  video: string;
  fps: number;
  size: number;
  centers: Array<[number, number] | null>;
  future: Array<[number, number]>;
}
interface ClipLine {
  video: string;
  labels: string[];
  captions: string[];
  domain: string;
  split: string;
}

/** All frames of a generated clip, decoded at full size. */
async function decodeAll(dir: string, video: string, fps: number, size: number): Promise<Uint8Array[]> {
  const info = await probeVideo(join(dir, video));
  const n = Math.round(info.duration * fps);
  const times = Array.from({ length: n }, (_, k) => (k + 0.5) / fps);
  const out: Uint8Array[] = [];
  for await (const f of decodeFrames(info, times, { size, crop: false }, { strategy: 'pass' })) out.push(f.rgb);
  return out;
}

/** Pixels closest to `color` among the palette and the background, and close in absolute terms. */
function colorPixels(rgb: Uint8Array, size: number, color: Color, background: [number, number, number]): Array<[number, number]> {
  const refs = [...Object.values(RGB), background];
  const target = RGB[color];
  const out: Array<[number, number]> = [];
  for (let p = 0; p < size * size; p++) {
    const px = [rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2]];
    const d = (c: readonly number[]) => (px[0] - c[0]) ** 2 + (px[1] - c[1]) ** 2 + (px[2] - c[2]) ** 2;
    const mine = d(target);
    if (mine < 60 ** 2 && refs.every((r) => r === target || d(r) > mine)) out.push([(p % size) + 0.5, Math.floor(p / size) + 0.5]);
  }
  return out;
}

describe('vidlens synth', () => {
  let summary: { clips: number; captions: number; questions: number; perDomain: Record<string, number> };
  beforeAll(async () => {
    const first = await vidlensJson<typeof summary>(['synth', '--out', a, '--seed', '7', '--per-domain', '3']);
    expect(first.code).toBe(0);
    summary = first.json;
    expect((await vidlens(['synth', '--out', b, '--seed', '7', '--per-domain', '3'])).code).toBe(0);
    expect((await vidlens(['synth', '--out', other, '--seed', '8', '--per-domain', '3'])).code).toBe(0);
    expect((await vidlens(['synth', '--out', lab, '--seed', '11', '--per-domain', '12', '--domains', 'lab'])).code).toBe(0);
  });

  it('writes every annotation file with the counts it reports', () => {
    expect(summary).toMatchObject({ clips: 12, captions: 36, questions: 48, perDomain: { lab: 3, factory: 3, night: 3, helmet: 3 } });
    for (const f of ANNOTATIONS) expect(readFileSync(join(a, f)).length).toBeGreaterThan(0);
  });

  it('is deterministic for a seed: identical annotation files and identically decoding videos', async () => {
    for (const f of ANNOTATIONS) expect(sha(join(b, f)), f).toBe(sha(join(a, f)));
    const clips = jsonl<ClipLine>(join(a, 'clips.jsonl'));
    for (const clip of [clips[0], clips[10]]) {
      const fa = await decodeAll(a, clip.video, 8, 128);
      const fb = await decodeAll(b, clip.video, 8, 128);
      expect(fa.length).toBe(32);
      fa.forEach((f, i) => expect(Buffer.compare(Buffer.from(f), Buffer.from(fb[i]))).toBe(0));
    }
  });

  it('gives different data for another seed', () => {
    expect(sha(join(other, 'clips.jsonl'))).not.toBe(sha(join(a, 'clips.jsonl')));
    expect(sha(join(other, 'tracks.jsonl'))).not.toBe(sha(join(a, 'tracks.jsonl')));
  });

  it('puts the actor where tracks.jsonl says (within 2 px in lab), and nowhere while invisible', async () => {
    const tracks = jsonl<Track>(join(lab, 'tracks.jsonl'));
    const clips = jsonl<ClipLine>(join(lab, 'clips.jsonl'));
    let checked = 0;
    for (const t of tracks) {
      const color = clips[t.clip].labels.find((l) => l.startsWith('color:'))!.slice(6) as Color;
      const frames = await decodeAll(lab, t.video, t.fps, t.size);
      frames.forEach((rgb, f) => {
        const pixels = colorPixels(rgb, t.size, color, [38, 40, 48]);
        const center = t.centers[f];
        if (!center) {
          expect(pixels.length, `${t.video} frame ${f}`).toBeLessThan(4);
          return;
        }
        const cx = pixels.reduce((s, p) => s + p[0], 0) / pixels.length;
        const cy = pixels.reduce((s, p) => s + p[1], 0) / pixels.length;
        expect(Math.hypot(cx - center[0], cy - center[1]), `${t.video} frame ${f}`).toBeLessThan(2);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('counts coloured shapes as labelled, and localises the actor in the 3×3 cell the answers give', async () => {
    const clips = jsonl<ClipLine>(join(lab, 'clips.jsonl'));
    const tracks = jsonl<Track>(join(lab, 'tracks.jsonl'));
    const items = await loadEgoCross(join(lab, 'qa.json'), join(lab, 'qa_answers.json'));
    for (const [k, clip] of clips.entries()) {
      const frames = await decodeAll(lab, clip.video, 8, 128);
      const seen = (Object.keys(RGB) as Color[]).filter((c) => frames.some((f) => colorPixels(f, 128, c, [38, 40, 48]).length > 20));
      expect(`count:${seen.length}`, clip.video).toBe(clip.labels.find((l) => l.startsWith('count:')));
      const local = items.find((q) => q.primary_category === 'Localization' && (q as unknown as { video: string }).video === clip.video)!;
      const last = [...tracks[k].centers].reverse().find((c) => c !== null)!;
      expect(local.answer?.answer_text).toBe(CELL_NAMES[gridCell(last[0], last[1], 128)]);
      const counting = items.find((q) => q.primary_category === 'Counting' && (q as unknown as { video: string }).video === clip.video)!;
      expect(`count:${counting.answer?.answer_text}`).toBe(clip.labels.find((l) => l.startsWith('count:')));
    }
  });

  it('writes tracking.jsonl and forecast.jsonl from the drawn tracks: actor first, camera shake included, coordinates in [0, 1]', async () => {
    const tracks = jsonl<Track & { id: string; others: Array<{ x: number; y: number }> }>(join(a, 'tracks.jsonl'));
    const tracking = new Map(jsonl<{ id: string; queries: number[][]; endpoints: number[][]; valid: boolean[] }>(join(a, 'tracking.jsonl')).map((t) => [t.id, t]));
    const forecast = jsonl<{ id: string; history: Array<number[] | null>; values: number[][] }>(join(a, 'forecast.jsonl'));
    expect(forecast).toHaveLength(tracks.length);
    const close = (got: number[], want: number[]) => got.forEach((v, k) => expect(Math.abs(v - want[k])).toBeLessThan(0.0002));
    for (const [k, t] of tracks.entries()) {
      const f = forecast[k];
      f.history.forEach((h, i) => (t.centers[i] ? close(h!, t.centers[i]!.map((v) => v / t.size)) : expect(h).toBeNull()));
      f.values.forEach((v, i) => close(v, t.future[i].map((x) => x / t.size)));
      const tr = tracking.get(t.id);
      if (!t.centers[0] && t.others.length === 0) {
        expect(tr).toBeUndefined();
        continue;
      }
      const actorQueried = t.centers[0] !== null;
      expect(tr!.queries).toHaveLength(t.others.length + (actorQueried ? 1 : 0));
      if (actorQueried) {
        close(tr!.queries[0], t.centers[0]!.map((v) => v / t.size));
        if (t.centers.at(-1)) close(tr!.endpoints[0], t.centers.at(-1)!.map((v) => v / t.size));
        expect(tr!.valid[0]).toBe(t.centers.at(-1) !== null);
      }
      // A still object moves only with the camera: its shake in a frame is the actor's drawn centre minus its path.
      const offset = actorQueried ? 1 : 0;
      t.others.forEach((o, j) => {
        const q = tr!.queries[offset + j];
        expect(Math.hypot(q[0] * t.size - o.x, q[1] * t.size - o.y)).toBeLessThan(t.video.includes('helmet') ? 3 * Math.SQRT2 + 0.01 : 0.02);
        expect(tr!.valid[offset + j]).toBe(true);
      });
    }
  });

  it('writes formats vidlens reads: clips.jsonl, EgoCross questions, and a clips × captions relevancy', async () => {
    const data = await loadClipsJsonl(join(a, 'clips.jsonl'));
    // vidlens reads every field its own generator writes.
    expect(data.warnings).toEqual([]);
    expect(data.clips).toHaveLength(12);
    expect(new Set(data.clips.map((c) => c.domain))).toEqual(new Set(['lab', 'factory', 'night', 'helmet']));
    expect(data.clips.every((c) => c.captions.length === 3)).toBe(true);
    expect(new Set(data.clips.map((c) => c.split))).toEqual(new Set(['train', 'val', 'test']));
    const items = await loadEgoCross(join(a, 'qa.json'), join(a, 'qa_answers.json'));
    expect(items).toHaveLength(48);
    for (const item of items) for (const frame of item.video_path) expect(readFileSync(join(a, frame)).length).toBeGreaterThan(0);
    const rel = await readNpy(join(a, 'relevancy.npy'));
    expect([rel.rows, rel.cols]).toEqual([12, 36]);
    // Each clip is fully relevant to its own three captions.
    for (let i = 0; i < 12; i++) for (let c = 3 * i; c < 3 * i + 3; c++) expect(rel.data[i * 36 + c]).toBe(1);
  });

  it('refuses an unknown domain', async () => {
    const r = await vidlens(['synth', '--out', join(root, 'x'), '--domains', 'lab,mars']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--domains lab,mars: unknown domain mars; known: lab, factory, night, helmet/);
  });
});
