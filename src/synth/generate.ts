import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { usageError } from '../core/errors.js';
import { encodeRgbFrames } from '../media/encode.js';
import { writeNpy } from '../util/npy.js';
import { mixSeed, Rng } from '../util/random.js';
import { attributeSet, captionsFor, labelsFor, questionsFor, relevancyMatrix, type QaAnswer, type QaItem } from './annotations.js';
import { DOMAINS, MOTIONS, sampleScene, type Domain, type Scene } from './grammar.js';
import { renderScene } from './render.js';
import { forecastRecord, trackingRecord } from './readout-records.js';
import { synthReadme } from './readme.js';
import type { OnProgress } from '../core/events.js';

export interface SynthOptions {
  out: string;
  seed: number;
  perDomain: number;
  domains: Domain[];
  /** Frame width and height in pixels. */
  size: number;
  fps: number;
  seconds: number;
  /** Clips rendered and encoded at once. */
  concurrency?: number;
  onProgress?: OnProgress;
}

export interface SynthSummary {
  out: string;
  clips: number;
  captions: number;
  questions: number;
  perDomain: Record<string, number>;
  motions: Record<string, number>;
  seconds: number;
  files: Record<string, string>;
}

interface ClipRecord {
  id: string;
  domain: Domain;
  index: number;
  scene: Scene;
  video: string;
  centers: Array<[number, number] | null>;
  shakes: Array<[number, number]>;
  framePaths: string[];
  frameTimes: number[];
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Renders every (domain, index) job, `concurrency` at a time (default 2), in job order; `onDone` counts finished ones. */
export async function renderAll<T>(jobs: ReadonlyArray<readonly [Domain, number]>, concurrency: number | undefined, make: (domain: Domain, index: number) => Promise<T>, onDone: (done: number) => void): Promise<T[]> {
  const limit = pLimit(concurrency ?? 2);
  let done = 0;
  return Promise.all(jobs.map(([d, i]) => limit(async () => {
    const made = await make(d, i);
    onDone(++done);
    return made;
  })));
}

export function parseDomains(list: string): Domain[] {
  const names = list.split(',').map((d) => d.trim()).filter(Boolean);
  const unknown = names.filter((d) => !(DOMAINS as readonly string[]).includes(d));
  if (unknown.length || names.length === 0) throw usageError(`--domains ${list}: unknown domain ${unknown.join(', ') || '(none)'}; known: ${DOMAINS.join(', ')}`);
  return [...new Set(names)] as Domain[];
}

/**
 * Renders, encodes and annotates one clip. The clip's random stream depends only on
 * (seed, domain, index), so a subset of domains or another order reproduces the same clips.
 */
async function makeClip(o: SynthOptions, domain: Domain, index: number): Promise<ClipRecord> {
  const frames = Math.round(o.fps * o.seconds);
  const clipSeed = mixSeed(o.seed, DOMAINS.indexOf(domain), index);
  const scene = sampleScene(new Rng(clipSeed), domain, o.size, frames);
  const rendered = renderScene(scene, o.size, mixSeed(clipSeed, 1));
  const id = `${domain}-${String(index).padStart(4, '0')}`;
  const video = join('videos', domain, `${id}.mp4`);
  await encodeRgbFrames(join(o.out, video), rendered.map((r) => r.rgb), o.size, o.fps);
  // Frames for frame-based QA, one per second at mid-second (EgoCross samples at 0.5–1 fps).
  const framePaths: string[] = [];
  const frameTimes: number[] = [];
  await mkdir(join(o.out, 'frames', id), { recursive: true });
  for (let s = 0; s < Math.floor(o.seconds); s++) {
    const f = Math.min(frames - 1, Math.floor((s + 0.5) * o.fps));
    const path = join('frames', id, `frame_${String(s).padStart(5, '0')}.jpg`);
    await sharp(Buffer.from(rendered[f].rgb), { raw: { width: o.size, height: o.size, channels: 3 } }).jpeg({ quality: 90 }).toFile(join(o.out, path));
    framePaths.push(path);
    frameTimes.push(f / o.fps);
  }
  return { id, domain, index, scene, video, centers: rendered.map((r) => r.center), shakes: rendered.map((r) => r.shake), framePaths, frameTimes };
}

/**
 * `vidlens synth`: a deterministic cross-domain benchmark with known ground truth — videos of one
 * scene grammar in several visual styles, with captions, labels, EK100-style relevancy, EgoCross-style
 * questions and actor tracks.
 */
export async function generateSynth(o: SynthOptions): Promise<SynthSummary> {
  if (!Number.isInteger(o.perDomain) || o.perDomain < 1) throw usageError(`--per-domain ${o.perDomain}: must be a whole number ≥ 1`);
  if (!Number.isInteger(o.size) || o.size < 32 || o.size % 2) throw usageError(`--size ${o.size}: must be an even number of pixels ≥ 32`);
  if (!(o.fps >= 1) || !(o.seconds >= 1) || o.fps * o.seconds < 2) throw usageError(`--fps ${o.fps} --seconds ${o.seconds}: need at least 1 s and 2 frames`);
  const started = performance.now();
  for (const d of o.domains) await mkdir(join(o.out, 'videos', d), { recursive: true });

  const jobs = o.domains.flatMap((d) => Array.from({ length: o.perDomain }, (_, i) => [d, i] as const));
  const records = await renderAll(jobs, o.concurrency, (d, i) => makeClip(o, d, i), (done) => o.onProgress?.({ task: 'rendering', done, total: jobs.length, unit: 'clips' }));

  // 60/20/20 by clip index, with at least one val and one test clip per domain from 3 clips up.
  const held = o.perDomain >= 3 ? Math.max(1, Math.round(o.perDomain * 0.2)) : o.perDomain === 2 ? 1 : 0;
  const nVal = o.perDomain >= 3 ? held : 0;
  const nTrain = o.perDomain - nVal - held;
  const splitOf = (index: number) => (index < nTrain ? 'train' : index < nTrain + nVal ? 'val' : 'test');
  const clipsLines: string[] = [];
  const captionLines: string[] = [];
  const trackLines: string[] = [];
  const trackingLines: string[] = [];
  const forecastLines: string[] = [];
  const captionScene: number[] = [];
  const qa: QaItem[] = [];
  const answers: QaAnswer[] = [];
  records.forEach((r, k) => {
    const captions = captionsFor(r.scene);
    const clip = { id: r.id, video: r.video, start: 0, end: o.seconds };
    const where = { domain: r.domain, split: splitOf(r.index) };
    clipsLines.push(JSON.stringify({ ...clip, captions, labels: labelsFor(r.scene), ...where }));
    const tracking = trackingRecord(r.scene, r.centers, r.shakes, o.size);
    if (tracking.queries.length) trackingLines.push(JSON.stringify({ ...clip, ...where, ...tracking }));
    forecastLines.push(JSON.stringify({ ...clip, ...where, ...forecastRecord(r.scene, r.centers, o.size) }));
    for (const caption of captions) {
      captionLines.push(JSON.stringify({ column: captionScene.length, clip: k, id: r.id, caption, motion: r.scene.motion, attributes: attributeSet(r.scene) }));
      captionScene.push(k);
    }
    trackLines.push(JSON.stringify({
      clip: k, id: r.id, video: r.video, fps: o.fps, size: o.size,
      centers: r.centers.map((c) => (c ? [round2(c[0]), round2(c[1])] : null)),
      future: r.scene.future.map(([x, y]) => [round2(x), round2(y)]),
      others: r.scene.others.map((o) => ({ shape: o.shape, color: o.color, size: o.size, x: round2(o.x), y: round2(o.y) })),
    }));
    const questions = questionsFor(r.scene, new Rng(mixSeed(o.seed, DOMAINS.indexOf(r.domain), r.index, 7)), {
      firstId: qa.length, video: r.video, seconds: o.seconds, fps: o.fps, framePaths: r.framePaths, frameTimes: r.frameTimes, size: o.size,
    });
    for (const q of questions) {
      qa.push(q.item);
      answers.push(q.answer);
    }
  });
  const files = {
    clips: 'clips.jsonl', captions: 'captions.jsonl', relevancy: 'relevancy.npy', qa: 'qa.json', answers: 'qa_answers.json', tracks: 'tracks.jsonl', tracking: 'tracking.jsonl', forecast: 'forecast.jsonl', readme: 'README.md',
  };
  await writeFile(join(o.out, files.clips), `${clipsLines.join('\n')}\n`);
  await writeFile(join(o.out, files.captions), `${captionLines.join('\n')}\n`);
  await writeFile(join(o.out, files.tracks), `${trackLines.join('\n')}\n`);
  await writeFile(join(o.out, files.tracking), `${trackingLines.join('\n')}\n`);
  await writeFile(join(o.out, files.forecast), `${forecastLines.join('\n')}\n`);
  await writeFile(join(o.out, files.qa), `${JSON.stringify(qa, null, 1)}\n`);
  await writeFile(join(o.out, files.answers), `${JSON.stringify(answers, null, 1)}\n`);
  await writeNpy(join(o.out, files.relevancy), { data: relevancyMatrix(records.map((r) => r.scene), captionScene), rows: records.length, cols: captionScene.length });

  const perDomain: Record<string, number> = {};
  const motions: Record<string, number> = Object.fromEntries(MOTIONS.map((m) => [m, 0]));
  for (const r of records) {
    perDomain[r.domain] = (perDomain[r.domain] ?? 0) + 1;
    motions[r.scene.motion]++;
  }
  const summary: SynthSummary = {
    out: o.out, clips: records.length, captions: captionScene.length, questions: qa.length, perDomain, motions,
    seconds: (performance.now() - started) / 1000, files,
  };
  await writeFile(join(o.out, files.readme), synthReadme(o, summary, createHash('sha256').update(clipsLines.join('\n')).digest('hex')));
  return summary;
}
