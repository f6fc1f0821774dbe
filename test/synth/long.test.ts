import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames } from '../../src/media/decode.js';
import { probeVideo } from '../../src/media/probe.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

interface Moment { id: string; query: string; video: string; start?: number; end?: number; windows?: Array<[number, number]>; domain: string }
interface Scene { id: string; video: string; start: number; end: number; captions: string[]; labels: string[] }

const lines = <T>(path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as T);

describe('vidlens synth --layout long', () => {
  const root = tempDir();
  const a = join(root, 'a');

  beforeAll(async () => {
    const run = await vidlens(['synth', '--out', a, '--layout', 'long', '--per-domain', '2', '--domains', 'lab', '--scenes', '5', '--seed', '3']);
    expect(run.code, run.stderr).toBe(0);
  }, 120_000);

  it('is deterministic per seed', async () => {
    const b = join(root, 'b');
    expect((await vidlens(['synth', '--out', b, '--layout', 'long', '--per-domain', '2', '--domains', 'lab', '--scenes', '5', '--seed', '3'])).code).toBe(0);
    for (const file of ['moments.jsonl', 'scenes.jsonl']) expect(readFileSync(join(b, file), 'utf8')).toBe(readFileSync(join(a, file), 'utf8'));
    const c = await vidlensJson<{ moments: number }>(['synth', '--out', join(root, 'c'), '--layout', 'long', '--per-domain', '2', '--domains', 'lab', '--scenes', '5', '--seed', '4']);
    expect(readFileSync(join(root, 'c', 'scenes.jsonl'), 'utf8')).not.toBe(readFileSync(join(a, 'scenes.jsonl'), 'utf8'));
    expect(c.json.moments).toBeGreaterThan(0);
  });

  it('writes scenes of 3–10 s back to back, and moment windows where each query holds', () => {
    const scenes = lines<Scene>(join(a, 'scenes.jsonl'));
    expect(scenes).toHaveLength(10);
    for (const video of new Set(scenes.map((s) => s.video))) {
      const own = scenes.filter((s) => s.video === video);
      expect(own[0].start).toBe(0);
      own.forEach((s, i) => {
        expect(s.end - s.start).toBeGreaterThanOrEqual(3);
        expect(s.end - s.start).toBeLessThanOrEqual(10);
        if (i > 0) expect(s.start).toBe(own[i - 1].end);
      });
    }
    const moments = lines<Moment>(join(a, 'moments.jsonl'));
    for (const m of moments) {
      const windows = m.windows ?? [[m.start!, m.end!]];
      const holding = scenes.filter((s) => s.video === m.video && s.captions.includes(m.query)).map((s) => [s.start, s.end]);
      expect(windows, m.query).toEqual(holding);
    }
  });

  it('cuts scenes exactly at their start times (the largest frame-to-frame changes)', async () => {
    const scenes = lines<Scene>(join(a, 'scenes.jsonl'));
    const video = scenes[0].video;
    const info = await probeVideo(join(a, video));
    const fps = 8;
    const count = Math.round(info.duration * fps);
    const times = Array.from({ length: count }, (_, i) => (i + 0.5) / fps);
    const frames: Uint8Array[] = [];
    for await (const f of decodeFrames(info, times, { size: 64, crop: false })) frames.push(f.rgb);
    const change = frames.slice(1).map((f, i) => f.reduce((s, v, j) => s + Math.abs(v - frames[i][j]), 0));
    const cuts = scenes.filter((s) => s.video === video && s.start > 0).map((s) => Math.round(s.start * fps));
    const largest = change.map((c, i) => ({ c, frame: i + 1 })).sort((x, y) => y.c - x.c).slice(0, cuts.length).map((x) => x.frame).sort((x, y) => x - y);
    expect(largest).toEqual(cuts);
  });
});
