import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/app/session.js';
import { vidlens } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { testPattern } from '../helpers/videos.js';

const QUERIES = ['a red circle', 'stripes moving left', 'numbers on a dark screen', 'green'];

describe('search held in memory (the server’s) against search on disk (the CLI’s)', () => {
  const root = tempDir();
  const db = join(root, 'db');
  let memory: Session;
  let disk: Session;

  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', join(root, 'tiny')])).code).toBe(0);
    await testPattern(join(root, 'a.mp4'), { seconds: 40 });
    await testPattern(join(root, 'b.mp4'), { seconds: 24, pattern: 'testsrc2' });
    expect((await vidlens(['index', join(root, 'a.mp4'), join(root, 'b.mp4'), '--db', db, '--model', join(root, 'tiny'), '--window', '1', '--domain', 'cams'])).code).toBe(0);
    memory = await Session.open(db, { memory: true });
    disk = await Session.open(db);
  }, 120_000);
  afterAll(async () => {
    await memory?.close();
    await disk?.close();
  });

  // Test patterns repeat, so many segments tie: orders may differ among ties, scores may not.
  it('finds the same scores, each segment scored as on disk, with and without filters', async () => {
    const [a] = (await disk.videos()).filter((v) => v.path.endsWith('a.mp4'));
    for (const q of QUERIES) {
      const everyScore = new Map((await disk.search(q, { k: 64 })).results.map((r) => [r.segment, r.score]));
      for (const request of [{ k: 10 }, { k: 64 }, { k: 5, video: a.id }, { k: 5, from: 10, to: 20 }, { k: 3, domain: 'cams' }]) {
        const fromMemory = (await memory.search(q, request)).results;
        const fromDisk = (await disk.search(q, request)).results;
        expect(fromMemory).toHaveLength(fromDisk.length);
        fromMemory.forEach((r, i) => {
          expect(r.score, `${q} ${JSON.stringify(request)} #${i + 1}`).toBeCloseTo(fromDisk[i].score, 5);
          expect(r.score).toBeCloseTo(everyScore.get(r.segment)!, 5);
          if (request.video) expect(r.video.id).toBe(a.id);
          if (request.from !== undefined) expect(r.end > request.from && r.start < request.to!).toBe(true);
        });
      }
    }
  });

  it('sees what another process commits, at the next search', async () => {
    const before = (await memory.search('a red circle', { k: 1000 })).results.length;
    expect(before).toBe(64);
    await testPattern(join(root, 'c.mp4'), { seconds: 10, pattern: 'smptebars' });
    expect((await vidlens(['index', join(root, 'c.mp4'), '--db', db])).code).toBe(0);
    const after = (await memory.search('a red circle', { k: 1000 })).results;
    expect(after).toHaveLength(74);
    expect(after.some((r) => r.video.path.endsWith('c.mp4'))).toBe(true);
  });
});
