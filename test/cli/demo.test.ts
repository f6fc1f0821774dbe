import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vidlens } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('the offline demo (npm run demo)', () => {
  const cwd = tempDir();
  const demo = join(cwd, '.vidlens', 'demo');

  it('generates, indexes, searches and evaluates the synthetic set per domain with the pretrained model', () => {
    const script = join(import.meta.dirname, '..', '..', 'scripts', 'demo.mjs');
    const r = spawnSync(process.execPath, [script], { cwd, encoding: 'utf8', timeout: 230_000 });
    expect(r.status, r.stderr).toBe(0);
    for (const domain of ['lab', 'factory', 'night', 'helmet']) expect(r.stdout).toMatch(new RegExp(`^${domain}\\s+t2v R@1`, 'm'));
    expect(r.stdout).toMatch(/synthetic world/);
    expect(existsSync(join(demo, 'report', 'report.html'))).toBe(true);
  }, 240_000);

  it('its searches return what they ask for, by the ground truth of every object in view', async () => {
    // What each clip shows: the labelled actor (clips.jsonl) and the still objects beside it (tracks.jsonl).
    const synth = join(demo, 'synth');
    const lines = (file: string) => readFileSync(join(synth, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const tracks = new Map(lines('tracks.jsonl').map((t) => [t.id as string, t.others as Array<{ color: string; shape: string }>]));
    const shown = new Map(lines('clips.jsonl').map((c) => {
      const labels = c.labels as string[];
      const label = (family: string) => labels.find((l) => l.startsWith(`${family}:`))!.slice(family.length + 1);
      const actor = { color: label('color'), shape: label('shape') };
      return [resolve(synth, c.video as string), [actor, ...tracks.get(c.id as string)!]] as const;
    }));
    const top3 = async (query: string, domain: string) => {
      const r = await vidlens(['search', query, '--db', join(demo, 'db'), '--k', '3', '--domain', domain, '--json']);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { results: Array<{ video: { path: string } }> }).results.map((x) => shown.get(resolve(x.video.path)) ?? []);
    };
    for (const colour of ['red', 'green', 'yellow']) {
      for (const objects of await top3(`a ${colour} shape`, 'lab')) expect(objects, colour).toContainEqual(expect.objectContaining({ color: colour }));
    }
    // Shapes: of the 12 top-3 hits of the four shape queries, measured 11 show the shape (a clip's other objects
    // compete with the one asked for), where a clip drawn at random shows a given one about 4 times in 10.
    const shapeHits: string[] = [];
    for (const shape of ['circle', 'square', 'triangle', 'cross']) {
      for (const objects of await top3(`a ${shape}`, 'lab')) if (objects.some((o) => o.shape === shape)) shapeHits.push(shape);
    }
    expect(shapeHits.length, `hits showing the shape: ${shapeHits.join(', ')}`).toBeGreaterThanOrEqual(10);
  }, 60_000);
});
