import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rerankerSpec, type RerankerShape } from '../../src/heads/reranker/reranker.js';
import { sizeOf } from '../../src/heads/spec.js';
import { loadReranker, saveReranker, type RerankerMeta } from '../../src/heads/reranker/store.js';
import { readNpy, writeNpy } from '../../src/util/npy.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { indexedSynth } from '../helpers/synth-index.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir();
const synth = join(root, 'synth');
const db = join(root, 'db');

interface Summary {
  shape: RerankerShape;
  epochs: number;
  bestEpoch: number;
  firstStage: number;
  best: number;
  history: Array<{ epoch: number; loss: number; validation: number }>;
  train: { clips: number; captions: number };
}
type Report = { metrics: Record<string, unknown>; domains: Record<string, unknown>; reranker: null | { k: number } };
type Search = { results: Array<{ score: number; start: number; video: { id: string } }> };

/** A reranker with β = 0 and arbitrary other weights: it must return the first stage's scores. */
async function untrained(dir: string, sha256: string, id = 'local:tiny'): Promise<void> {
  const shape: RerankerShape = { dim: 128, steps: 8, width: 8, heads: 2, hidden: 16 };
  const weights = Object.fromEntries(rerankerSpec(shape).map(({ name, shape: s }) => [name, name === 'beta' ? new Float32Array(1) : Float32Array.from({ length: sizeOf(s) }, (_, i) => Math.sin(i + sizeOf(s)))]));
  const meta: RerankerMeta = {
    kind: 'reranker', vidlens: 'test', created: new Date(0).toISOString(), model: { id, sha256, dim: 128 }, shape, config: {},
    dataset: { path: 'x', sha256: 'x', train: 0, val: 0 }, validation: { metric: 'x', history: [], best: 0, bestEpoch: 0, firstStage: 0 },
  };
  await saveReranker(dir, meta, weights);
}

describe('vidlens train rerank / --reranker', () => {
  let sha256: string;
  beforeAll(async () => {
    ({ sha256 } = await indexedSynth(root));
  });

  it('trains on hard negatives, keeps the best validation epoch and saves a loadable reranker', async () => {
    const out = join(root, 'r1');
    const { code, json } = await vidlensJson<Summary>(['train', 'rerank', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--relevancy', join(synth, 'relevancy.npy'), '--epochs', '3', '--batch-size', '4', '--candidates', '6', '--width', '16', '--out', out]);
    expect(code).toBe(0);
    expect(json.shape).toEqual({ dim: 128, steps: 8, width: 16, heads: 4, hidden: 32 });
    expect(json.train).toEqual({ clips: 12, captions: 36 });
    expect(json.history.length).toBeGreaterThanOrEqual(1);
    for (const h of json.history) expect(Number.isFinite(h.loss)).toBe(true);
    expect(json.best).toBe(Math.max(json.firstStage, ...json.history.map((h) => h.validation)));
    const saved = await loadReranker(out);
    expect(saved.meta).toMatchObject({ kind: 'reranker', model: { sha256 }, config: { candidates: 6 }, validation: { bestEpoch: json.bestEpoch, firstStage: json.firstStage } });

    const report = await vidlensJson<Report>(['eval', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--reranker', out, '--rerank-k', '5']);
    expect(report.code).toBe(0);
    expect(report.json.reranker).toMatchObject({ k: 5 });
    const search = await vidlensJson<Search>(['search', 'a red circle moves left', '--db', db, '--k', '3', '--reranker', out]);
    expect(search.json.results).toHaveLength(3);
  });

  it('an untrained reranker (β = 0) keeps the first stage exactly, in eval and in search', async () => {
    const dir = join(root, 'untrained');
    await untrained(dir, sha256);
    const evalArgs = ['eval', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--relevancy', join(synth, 'relevancy.npy')];
    const plain = await vidlensJson<Report>(evalArgs);
    const reranked = await vidlensJson<Report>([...evalArgs, '--reranker', dir, '--rerank-k', '7']);
    expect(JSON.stringify(reranked.json.metrics)).toBe(JSON.stringify(plain.json.metrics));
    expect(JSON.stringify(reranked.json.domains)).toBe(JSON.stringify(plain.json.domains));
    const searchArgs = ['search', 'a small blue square grows', '--db', db, '--k', '6'];
    const first = await vidlensJson<Search>(searchArgs);
    const second = await vidlensJson<Search>([...searchArgs, '--reranker', dir]);
    expect(second.json.results.map((r) => `${r.video.id}@${r.start}`)).toEqual(first.json.results.map((r) => `${r.video.id}@${r.start}`));
    second.json.results.forEach((r, i) => expect(r.score).toBeCloseTo(first.json.results[i].score, 5));
  });

  it('refuses a reranker trained on another model, a folder that is not a reranker, and a width the heads do not divide', async () => {
    const other = join(root, 'other');
    await untrained(other, 'f'.repeat(64), 'openai/clip-vit-base-patch32');
    const wrong = await vidlens(['search', 'a red circle', '--db', db, '--reranker', other]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--reranker .*other: trained on openai\/clip-vit-base-patch32/);
    expect(wrong.stderr).not.toMatch(/at .*\.js:\d+/);
    const notOne = await vidlens(['eval', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--reranker', synth]);
    expect(notOne.code).toBe(2);
    expect(notOne.stderr).toMatch(/not a reranker folder/);
    const width = await vidlens(['train', 'rerank', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--width', '10', '--heads', '4', '--out', join(root, 'w')]);
    expect(width.code).toBe(2);
    expect(width.stderr).toMatch(/--width 10 must be a multiple of --heads 4/);
  });

  it('records its first stage, and search and eval refuse another one (and keep every EK100 warning)', async () => {
    const adapter = join(root, 'adapter');
    const clips = join(synth, 'clips.jsonl');
    expect((await vidlens(['train', 'retrieval', '--db', db, '--dataset', clips, '--epochs', '1', '--out', adapter])).code).toBe(0);
    const onAdapter = join(root, 'r-adapter');
    const trained = await vidlens(['train', 'rerank', '--db', db, '--dataset', clips, '--adapter', adapter, '--epochs', '1', '--width', '8', '--heads', '2', '--out', onAdapter]);
    expect(trained.code, trained.stderr).toBe(0);
    expect((await loadReranker(onAdapter)).meta.firstStageAdapter).toMatchObject({ path: adapter, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const frozen = await vidlens(['search', 'a red circle', '--db', db, '--reranker', onAdapter]);
    expect(frozen.code).toBe(2);
    expect(frozen.stderr).toMatch(/--reranker .*r-adapter: trained to rerank the adapter .*adapter \(sha256 [0-9a-f]{12}…\), but this first stage is the frozen model/);
    const plain = join(root, 'untrained');
    const mixed = await vidlens(['eval', 'retrieval', '--db', db, '--dataset', clips, '--adapter', adapter, '--reranker', plain]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/trained to rerank the frozen model \(no --adapter\), but this first stage is --adapter/);
    const same = await vidlensJson<Report & { warnings: string[] }>(['search', 'a red circle', '--db', db, '--adapter', adapter, '--reranker', onAdapter, '--k', '2']);
    expect(same.code).toBe(0);

    // A relevancy with no entry equal to 1 in one caption's column: a text→video warning that must survive reranking.
    const rel = await readNpy(join(synth, 'relevancy.npy'));
    for (let r = 0; r < rel.rows; r++) rel.data[r * rel.cols] *= 0.5;
    const relPath = join(root, 'half.npy');
    await writeNpy(relPath, rel);
    const evalArgs = ['eval', 'retrieval', '--db', db, '--dataset', clips, '--relevancy', relPath];
    const base = await vidlensJson<Report & { warnings: string[] }>(evalArgs);
    const reranked = await vidlensJson<Report & { warnings: string[] }>([...evalArgs, '--reranker', plain]);
    expect(base.json.warnings.length).toBeGreaterThan(0);
    expect(reranked.json.warnings).toEqual(base.json.warnings);
  });
});
