import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hitsAtExactKth } from '../../src/eval/metrics/ann-recall.js';
import { openIndex } from '../../src/indexing/open.js';
import type { SegmentFilter } from '../../src/store/segments.js';
import { vidlens } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Recall of the ANN index at its defaults, on what it is for: caption queries of a trained model (the
 * bundled one) against the segments of 80 synthetic clips it never saw, searched across the modality gap.
 */
describe('the ANN index on a trained model', () => {
  const root = tempDir();
  const db = join(root, 'db');

  beforeAll(async () => {
    expect((await vidlens(['model', 'pretrained', join(root, 'model')])).code).toBe(0);
    expect((await vidlens(['synth', '--out', join(root, 'synth'), '--per-domain', '40', '--domains', 'lab,night', '--seed', '3'])).code).toBe(0);
    const videos = readdirSync(join(root, 'synth', 'videos'));
    for (const domain of ['lab', 'night']) {
      const files = videos.filter((f) => f.startsWith(domain)).map((f) => join(root, 'synth', 'videos', f));
      expect((await vidlens(['index', ...files, '--db', db, '--model', join(root, 'model'), '--window', '0.25', '--frames', '1', '--domain', domain])).code).toBe(0);
    }
    expect((await vidlens(['optimize', '--db', db, '--ann'])).code).toBe(0);
  }, 180_000);

  it('finds at least 95 % of the exact top 10 for caption queries, with and without a filter', async () => {
    const lines = (await readFile(join(root, 'synth', 'captions.jsonl'), 'utf8')).trim().split('\n');
    const captions = [...new Set(lines.map((l) => (JSON.parse(l) as { caption: string }).caption))].slice(0, 40);
    const { catalog, encoder } = await openIndex(db, { create: false });
    expect(await catalog.ann.state()).toMatchObject({ kind: 'IVF_HNSW_SQ', indexedRows: 1280, unindexedRows: 0 });
    const queries = await encoder.embedTexts(captions);
    const dim = encoder.manifest.dim;
    await encoder.dispose();
    let found = 0;
    let wanted = 0;
    for (const filter of [{}, { domain: 'lab' }, { domain: 'night' }] as SegmentFilter[]) {
      for (let i = 0; i < captions.length; i++) {
        const q = queries.subarray(i * dim, (i + 1) * dim);
        const exact = await catalog.segments.search(q, 10, filter, { exact: true });
        const approximate = await catalog.segments.search(q, 10, filter);
        expect(approximate).toHaveLength(10);
        if (filter.domain) expect(approximate.every((h) => h.segment.domain === filter.domain)).toBe(true);
        found += hitsAtExactKth(approximate, exact, 10);
        wanted += 10;
      }
    }
    expect(found / wanted).toBeGreaterThanOrEqual(0.95);
  });
});
