import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { servedIndex, type ServedIndex } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

const QUERIES = ['a red shape', 'a large green shape', 'a white shape'];

describe('vidlens search --queries', () => {
  const root = tempDir();
  let index: ServedIndex;
  const file = join(root, 'queries.txt');

  beforeAll(async () => {
    index = await servedIndex(root);
    writeFileSync(file, `${QUERIES[0]}\n\n  ${QUERIES[1]}  \n${QUERIES[2]}\n`);
  }, 240_000);

  it('answers every line with one model load, as JSON Lines equal to one search per query', async () => {
    const batch = await vidlens(['search', '--queries', file, '--db', index.db, '--k', '4', '--domain', 'lab', '--json']);
    expect(batch.code, batch.stderr).toBe(0);
    const lines = batch.stdout.trim().split('\n').map((l) => JSON.parse(l) as { query: string; results: unknown[] });
    expect(lines.map((l) => l.query)).toEqual(QUERIES);
    for (const [i, query] of QUERIES.entries()) {
      const single = await vidlensJson(['search', query, '--db', index.db, '--k', '4', '--domain', 'lab']);
      expect(lines[i]).toEqual(single.json);
    }
  });

  it('prints each query as a header above its results', async () => {
    const { code, stdout } = await vidlens(['search', '--queries', file, '--db', index.db, '--k', '2']);
    expect(code).toBe(0);
    const headers = stdout.split('\n').filter((l) => l.startsWith('# '));
    expect(headers).toEqual(QUERIES.map((q) => `# ${q}`));
    expect(stdout.split('\n').filter((l) => /^\s+\d+\s+\d\.\d{5}/.test(l))).toHaveLength(6);
  });

  it('refuses a text with --queries, no text at all, and an empty or missing file', async () => {
    const both = await vidlens(['search', 'red', '--queries', file, '--db', index.db]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give a search text or --queries FILE, not both');
    const none = await vidlens(['search', '--db', index.db]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('missing the search text (or --queries FILE)');
    const empty = join(root, 'empty.txt');
    writeFileSync(empty, '\n \n');
    const blank = await vidlens(['search', '--queries', empty, '--db', index.db]);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toContain(`--queries ${empty}: no queries (one per line)`);
    const missing = await vidlens(['search', '--queries', join(root, 'nope.txt'), '--db', index.db]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.txt');
  });
});
