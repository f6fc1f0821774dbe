import { writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VidlensError } from '../../src/core/errors.js';
import { probeVideo } from '../../src/media/probe.js';
import { audioOnly, testPattern } from '../helpers/videos.js';
import { SHARED_VIDEOS, tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const shared = (name: string) => join(SHARED_VIDEOS, name);

async function probeError(path: string): Promise<VidlensError> {
  const error = await probeVideo(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VidlensError);
  expect((error as VidlensError).kind).toBe('input');
  expect((error as VidlensError).message).toContain(path);
  return error as VidlensError;
}

describe('probeVideo', () => {
  beforeAll(async () => {
    await testPattern(join(dir, 'pattern.mp4'), { seconds: 2, width: 320, height: 240, fps: 10 });
    await audioOnly(join(dir, 'audio.m4a'));
  });

  it('reads duration, frame rate, size and codec of a generated H.264 file', async () => {
    const info = await probeVideo(join(dir, 'pattern.mp4'));
    expect(info).toMatchObject({ width: 320, height: 240, fps: 10, codec: 'h264', rotation: 0 });
    expect(info.duration).toBeCloseTo(2, 1);
  });

  it('reports rotation metadata (variable frame rate, −180°)', async () => {
    const info = await probeVideo(shared('moviepy__fire2.mp4'));
    expect(info.rotation).toBe(180);
    expect(info).toMatchObject({ width: 1280, height: 720 });
  });

  it('finds the duration of a WebM whose container has none', async () => {
    const info = await probeVideo(shared('moviepy__no_duration.webm'));
    expect(info.codec).toBe('vp9');
    expect(info.duration).toBeGreaterThan(0.5);
  });

  it('handles NTSC and odd frame rates', async () => {
    expect((await probeVideo(shared('mmaction2__demo_test_video_structuralize.mp4'))).fps).toBeCloseTo(29.97, 2);
    expect((await probeVideo(shared('imageio__realshort.mp4'))).fps).toBeCloseTo(45000 / 1499, 3);
  });

  it('rejects a zero-byte file', async () => {
    const path = join(dir, 'empty.mp4');
    writeFileSync(path, '');
    expect((await probeError(path)).message).toMatch(/empty/);
  });

  it('rejects a text file named .mp4', async () => {
    const path = join(dir, 'notes.mp4');
    writeFileSync(path, 'these are meeting notes, not a video\n'.repeat(50));
    expect((await probeError(path)).message).toMatch(/not a readable video/);
  });

  it('rejects a truncated mp4', async () => {
    const path = join(dir, 'truncated.mp4');
    const bytes = readFileSync(shared('mmaction2__tests_data_test.mp4'));
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 3)));
    await probeError(path);
  });

  it('rejects the truncated mkv from the shared data', async () => {
    const path = join(dir, 'sample.mkv');
    copyFileSync(shared('pymediainfo__sample.mkv'), path);
    await probeError(path);
  });

  it('rejects an audio-only file, saying which streams it has', async () => {
    expect((await probeError(join(dir, 'audio.m4a'))).message).toMatch(/no video stream \(found audio\)/);
  });

  it('rejects a missing file', async () => {
    expect((await probeError(join(dir, 'missing.mp4'))).message).toMatch(/cannot read/);
  });
});
