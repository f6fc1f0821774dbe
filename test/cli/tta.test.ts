import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/store/catalog.js';
import { dot } from '../../src/models/vectors.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { ffmpeg, testPattern } from '../helpers/videos.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir();
const model = join(root, 'tiny');
const videos = join(root, 'videos');

/** Cosine between the first segments of the original and its mirror image, in an index. */
async function mirrorCosine(db: string): Promise<number> {
  const catalog = await Catalog.open(db, { create: false });
  const rows = await catalog.segments.withVectors();
  const byVideo = new Map<string, Float32Array>();
  const ids = new Map((await catalog.videos.all()).map((v) => [v.id, v.path]));
  for (const r of rows) if (r.segment.idx === 0) byVideo.set(ids.get(r.segment.video_id)!.split('/').pop()!, r.vector);
  return dot(byVideo.get('original.mp4')!, byVideo.get('mirrored.mp4')!);
}

describe('index-time test-time augmentation (--tta flip)', () => {
  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', model])).code).toBe(0);
    mkdirSync(videos);
    await testPattern(join(videos, 'original.mp4'), { seconds: 4, width: 128, height: 128 });
    await ffmpeg(['-i', join(videos, 'original.mp4'), '-vf', 'hflip', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', join(videos, 'mirrored.mp4')]);
  });

  it('makes a video and its mirror image embed alike, which plain indexing does not', async () => {
    const plain = join(root, 'db-plain');
    const flip = join(root, 'db-flip');
    expect((await vidlens(['index', videos, '--db', plain, '--model', model])).code).toBe(0);
    expect((await vidlens(['index', videos, '--db', flip, '--model', model, '--tta', 'flip'])).code).toBe(0);
    const withoutTta = await mirrorCosine(plain);
    const withTta = await mirrorCosine(flip);
    expect(withTta).toBeGreaterThan(0.999);
    expect(1 - withoutTta).toBeGreaterThan(10 * (1 - withTta));
    const info = await vidlensJson<{ tta: string }>(['info', '--db', flip]);
    expect(info.json.tta).toBe('flip');
  });

  it('refuses another --tta on an existing index', async () => {
    const r = await vidlens(['index', videos, '--db', join(root, 'db-flip'), '--tta', 'none']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tta none: the index at .*db-flip was built with --tta flip/);
  });
});
