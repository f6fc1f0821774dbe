import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { usageError } from '../core/errors.js';
import type { OnProgress } from '../core/events.js';
import { encodeRgbFrames } from '../media/encode.js';
import { mixSeed, Rng } from '../util/random.js';
import { captionsFor, labelsFor } from './annotations.js';
import { renderAll } from './generate.js';
import { DOMAINS, sampleScene, type Domain, type Scene } from './grammar.js';
import { renderScene } from './render.js';

export interface LongSynthOptions {
  out: string;
  seed: number;
  /** Long videos per domain. */
  perDomain: number;
  domains: Domain[];
  size: number;
  fps: number;
  /** Scenes per video. */
  scenes: number;
  concurrency?: number;
  onProgress?: OnProgress;
}

/** Scene lengths, in half seconds: 3 to 10 s, so scene cuts fall anywhere within 4 s windows. */
const SCENE_HALF_SECONDS = { min: 6, max: 20 } as const;

interface LongVideo {
  id: string;
  domain: Domain;
  video: string;
  scenes: Array<{ scene: Scene; start: number; end: number; query: string }>;
}

/** Whether a query holds for a scene: it is one of the scene's own captions (a phrasing without the size holds for both sizes). */
const holds = (query: string, scene: Scene) => captionsFor(scene).includes(query);

/**
 * Renders one long video: `scenes` scenes of the synth grammar back to back, each 3–10 s, cut
 * without transition. The random stream depends only on (seed, domain, index), as for clips.
 */
async function makeLongVideo(o: LongSynthOptions, domain: Domain, index: number): Promise<LongVideo> {
  const videoSeed = mixSeed(o.seed, DOMAINS.indexOf(domain), index, 101);
  const rng = new Rng(videoSeed);
  const id = `${domain}-long-${String(index).padStart(4, '0')}`;
  const video = join('videos', domain, `${id}.mp4`);
  const frames: Uint8Array[] = [];
  const scenes: LongVideo['scenes'] = [];
  for (let k = 0; k < o.scenes; k++) {
    const seconds = (SCENE_HALF_SECONDS.min + rng.int(SCENE_HALF_SECONDS.max - SCENE_HALF_SECONDS.min + 1)) / 2;
    const count = Math.round(seconds * o.fps);
    const scene = sampleScene(new Rng(mixSeed(videoSeed, k)), domain, o.size, count);
    const start = frames.length / o.fps;
    for (const f of renderScene(scene, o.size, mixSeed(videoSeed, k, 1))) frames.push(f.rgb);
    const phrasings = captionsFor(scene);
    scenes.push({ scene, start, end: frames.length / o.fps, query: phrasings[rng.int(phrasings.length)] });
  }
  await encodeRgbFrames(join(o.out, video), frames, o.size, o.fps);
  return { id, domain, video, scenes };
}

export interface LongSynthSummary {
  out: string;
  videos: number;
  scenes: number;
  moments: number;
  /** Total seconds of video. */
  duration: number;
  seconds: number;
  files: Record<string, string>;
}

/**
 * `vidlens synth --layout long`: minutes-long videos of several scenes with exact start and end
 * times, and the moment queries to find them: `moments.jsonl` holds one line per distinct query of a
 * video, with every window of that video where its caption holds; `scenes.jsonl` holds every scene
 * as a clip (span, captions, labels), so the clip commands run on it too.
 */
export async function generateLongSynth(o: LongSynthOptions): Promise<LongSynthSummary> {
  if (!Number.isInteger(o.scenes) || o.scenes < 2) throw usageError(`--scenes ${o.scenes}: must be a whole number ≥ 2`);
  if (!Number.isInteger(o.size) || o.size < 32 || o.size % 2) throw usageError(`--size ${o.size}: must be an even number of pixels ≥ 32`);
  if (!(o.fps >= 2)) throw usageError(`--fps ${o.fps}: a long video needs at least 2 frames per second`);
  const started = performance.now();
  for (const d of o.domains) await mkdir(join(o.out, 'videos', d), { recursive: true });
  const jobs = o.domains.flatMap((d) => Array.from({ length: o.perDomain }, (_, i) => [d, i] as const));
  const videos = await renderAll(jobs, o.concurrency, (d, i) => makeLongVideo(o, d, i), (done) => o.onProgress?.({ task: 'rendering', done, total: jobs.length, unit: 'videos' }));

  const momentLines: string[] = [];
  const sceneLines: string[] = [];
  for (const v of videos) {
    const asked = new Set<string>();
    v.scenes.forEach((s, k) => {
      sceneLines.push(JSON.stringify({ id: `${v.id}-s${k}`, video: v.video, start: s.start, end: s.end, captions: captionsFor(s.scene), labels: labelsFor(s.scene), domain: v.domain }));
      if (asked.has(s.query)) return;
      asked.add(s.query);
      const windows = v.scenes.filter((other) => holds(s.query, other.scene)).map((other) => [other.start, other.end]);
      const span = windows.length === 1 ? { start: windows[0][0], end: windows[0][1] } : { windows };
      momentLines.push(JSON.stringify({ id: `${v.id}-q${asked.size - 1}`, query: s.query, video: v.video, ...span, domain: v.domain }));
    });
  }
  const files = { moments: 'moments.jsonl', scenes: 'scenes.jsonl' };
  await writeFile(join(o.out, files.moments), `${momentLines.join('\n')}\n`);
  await writeFile(join(o.out, files.scenes), `${sceneLines.join('\n')}\n`);
  return {
    out: o.out,
    videos: videos.length,
    scenes: sceneLines.length,
    moments: momentLines.length,
    duration: videos.reduce((sum, v) => sum + v.scenes.at(-1)!.end, 0),
    seconds: (performance.now() - started) / 1000,
    files,
  };
}
