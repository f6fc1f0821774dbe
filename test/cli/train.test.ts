import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterSpec, adaptText } from '../../src/heads/adapter/adapter.js';
import { loadAdapter, saveAdapter } from '../../src/heads/adapter/store.js';
import { initialWeights } from '../../src/heads/spec.js';
import type { TemporalPoolShape } from '../../src/heads/temporal-pool/temporal-pool.js';
import { l2NormalizeRows } from '../../src/models/vectors.js';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { indexedSynth } from '../helpers/synth-index.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir();
const synth = join(root, 'synth');
const db = join(root, 'db');

interface Summary {
  loss: string;
  backend: string;
  epochs: number;
  bestEpoch: number;
  zeroShot: number;
  best: number;
  history: Array<{ epoch: number; loss: number; validation: number }>;
  train: { clips: number };
  val: { clips: number };
}
type Report = { metrics: { retrieval: unknown; mir: unknown }; adapter: null | { loss: string } };

/** An untrained adapter as its spec initialises it (identity heads; a temporal head's output projection at zero). */
function identityAdapter(sha256: string, dim: number, id = 'local:tiny', temporal?: TemporalPoolShape) {
  return {
    meta: {
      kind: 'retrieval' as const, vidlens: 'test', created: new Date(0).toISOString(), model: { id, sha256, dim }, loss: 'none', config: {},
      dataset: { path: 'x', sha256: 'x', train: 0, val: 0 }, validation: { metric: 'x', history: [], best: 0, bestEpoch: 0, zeroShot: 0 },
    },
    weights: initialWeights(adapterSpec(dim, temporal), 1),
    temporal,
  };
}

describe('vidlens train retrieval', () => {
  let sha256: string;
  beforeAll(async () => {
    ({ sha256 } = await indexedSynth(root));
  });

  for (const loss of ['infonce', 'sms', 'angular']) {
    it(`trains with ${loss}, keeps the best validation epoch and saves a loadable adapter`, async () => {
      const out = join(root, `adapter-${loss}`);
      const { code, json } = await vidlensJson<Summary>(['train', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--relevancy', join(synth, 'relevancy.npy'), '--loss', loss, '--epochs', '4', '--batch-size', '8', '--out', out]);
      expect(code).toBe(0);
      expect(json).toMatchObject({ loss, backend: 'wasm', train: { clips: 12 }, val: { clips: 4 } });
      expect(json.history.length).toBeGreaterThanOrEqual(1);
      expect(json.history.length).toBeLessThanOrEqual(4);
      for (const h of json.history) expect(Number.isFinite(h.loss)).toBe(true);
      const best = Math.max(json.zeroShot, ...json.history.map((h) => h.validation));
      expect(json.best).toBe(best);
      const adapter = await loadAdapter(out);
      expect(adapter.meta).toMatchObject({ kind: 'retrieval', loss, model: { id: 'local:tiny', sha256, dim: 128 }, validation: { bestEpoch: json.bestEpoch } });
      expect(adapter.weights['text.weight']).toHaveLength(128 * 128);
    });
  }

  it('trains angular + meta-reweighting on a held-out clean meta set and records the learned weight curve', async () => {
    const out = join(root, 'adapter-meta');
    const { code, json } = await vidlensJson<Summary & { weightCurve: Array<{ loss: number; weight: number }> }>(['train', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--loss', 'angular-meta', '--meta-share', '0.25', '--epochs', '3', '--batch-size', '8', '--out', out]);
    expect(code).toBe(0);
    expect(json).toMatchObject({ loss: 'angular-meta', train: { clips: 9 } });
    expect(json.weightCurve).toHaveLength(11);
    for (const p of json.weightCurve) expect(p.weight > 0 && p.weight < 1).toBe(true);
    const adapter = await loadAdapter(out);
    expect(adapter.meta.config).toMatchObject({ metaClips: 3 });
    const empty = await vidlens(['train', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--loss', 'angular-meta', '--meta-share', '0.01', '--out', join(root, 'x')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--loss angular-meta needs a clean meta split of at least 2 clips with captions/);
  });

  it('an identity adapter scores exactly as the frozen model (degradation-free start)', async () => {
    const dir = join(root, 'identity');
    await saveAdapter(dir, identityAdapter(sha256, 128));
    const x = l2NormalizeRows(Float32Array.from({ length: 256 }, (_, i) => Math.sin(i)), 128);
    const y = adaptText(await loadAdapter(dir), x, 128);
    y.forEach((v, i) => expect(v).toBeCloseTo(x[i], 6));
    const args = ['eval', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--relevancy', join(synth, 'relevancy.npy')];
    const plain = await vidlensJson<Report>(args);
    const adapted = await vidlensJson<Report>([...args, '--adapter', dir]);
    expect(adapted.json.adapter).toMatchObject({ loss: 'none' });
    expect(JSON.stringify(adapted.json.metrics)).toBe(JSON.stringify(plain.json.metrics));
  });

  it('warns when an adapter is scored on its own training clips, and --split evaluates the held-out ones', async () => {
    const out = join(root, 'adapter-overlap');
    const trained = await vidlensJson<Summary>(['train', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--epochs', '1', '--batch-size', '8', '--out', out]);
    expect(trained.code).toBe(0);
    const clips = readFileSync(join(synth, 'clips.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { split: string; domain: string });
    type Scored = { warnings: string[]; config: { split: string | null }; metrics: { gallery: { clips: number; R1: number; R10: number } }; domains: Record<string, { metrics: { gallery: { clips: number; R1: number } } }> };
    const base = ['eval', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--relevancy', join(synth, 'relevancy.npy'), '--adapter', out];
    const all = await vidlensJson<Scored>(base);
    expect(all.code).toBe(0);
    expect(all.json.warnings).toContain(`--adapter ${out}: ${trained.json.train.clips} of the ${clips.length} evaluated clips were used to train it; these scores are optimistic; evaluate on clips it never saw (e.g. --split test)`);
    expect(all.stderr).toMatch(/warning: --adapter .* were used to train it/);
    const test = await vidlensJson<Scored>([...base, '--split', 'test']);
    expect(test.code).toBe(0);
    expect(test.json.warnings.filter((w) => w.includes('used to train it'))).toEqual([]);
    expect(test.json.config.split).toBe('test');
    const testClips = clips.filter((c) => c.split === 'test');
    expect(test.json.metrics.gallery).toMatchObject({ clips: testClips.length, R1: 100 / testClips.length, R10: Math.min(100, 1000 / testClips.length) });
    for (const [domain, slice] of Object.entries(test.json.domains)) {
      const n = testClips.filter((c) => c.domain === domain).length;
      expect(slice.metrics.gallery).toMatchObject({ clips: n, R1: 100 / n });
    }
    const text = await vidlens([...base, '--split', 'test']);
    expect(text.stdout).toMatch(new RegExp(`all .*\\| ${testClips.length} clips, chance R@1 ${(100 / testClips.length).toFixed(2)}`));
    const none = await vidlens([...base, '--split', 'nosuch']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--split nosuch: no clip of .*clips\.jsonl has "split": "nosuch"/);
  });

  it('trains a temporal head on the video side, saves it, and evaluates and searches through it', async () => {
    const out = join(root, 'adapter-temporal');
    const { code, json } = await vidlensJson<Summary & { temporal: { width: number; steps: number } }>(['train', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--temporal', '16', '--epochs', '3', '--batch-size', '8', '--out', out]);
    expect(code).toBe(0);
    expect(json.temporal).toEqual({ width: 16, steps: 8 });
    expect(json.best).toBe(Math.max(json.zeroShot, ...json.history.map((h) => h.validation)));
    const adapter = await loadAdapter(out);
    expect(adapter.meta.temporal).toEqual({ width: 16, steps: 8 });
    expect(adapter.weights['temporal.wo']).toHaveLength(16 * 128);
    const report = await vidlensJson<Report>(['eval', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--adapter', out]);
    expect(report.code).toBe(0);
    expect(report.json.adapter).toMatchObject({ temporal: { width: 16, steps: 8 } });
    const search = await vidlensJson<{ results: unknown[] }>(['search', 'a red circle moves left', '--db', db, '--k', '3', '--adapter', out]);
    expect(search.json.results).toHaveLength(3);
    const refused = await vidlens(['train', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--loss', 'angular-meta', '--temporal', '--out', join(root, 'y')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--temporal is not available with --loss angular-meta/);
  });

  it('an untrained temporal head ranks exactly as the frozen index (search reads the stored frame vectors)', async () => {
    const dir = join(root, 'identity-temporal');
    await saveAdapter(dir, identityAdapter(sha256, 128, 'local:tiny', { steps: 8, width: 4 }));
    const args = ['search', 'a small blue square grows', '--db', db, '--k', '10'];
    const plain = await vidlensJson<{ results: Array<{ score: number; start: number; video: { id: string } }> }>(args);
    const adapted = await vidlensJson<typeof plain.json>([...args, '--adapter', dir]);
    expect(adapted.code).toBe(0);
    expect(adapted.json.results.map((r) => `${r.video.id}@${r.start}`)).toEqual(plain.json.results.map((r) => `${r.video.id}@${r.start}`));
    adapted.json.results.forEach((r, i) => expect(r.score).toBeCloseTo(plain.json.results[i].score, 5));
  });

  it('searches through an adapter', async () => {
    const { code, json } = await vidlensJson<{ results: Array<{ score: number; start: number; end: number }> }>(['search', 'a red circle moves left', '--db', db, '--k', '4', '--adapter', join(root, 'adapter-infonce')]);
    expect(code).toBe(0);
    expect(json.results).toHaveLength(4);
    for (const r of json.results) expect(Math.abs(r.score)).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('refuses an adapter trained on another model, and a folder that is not an adapter', async () => {
    const other = join(root, 'other-model');
    await saveAdapter(other, identityAdapter('f'.repeat(64), 128, 'local:other'));
    const search = await vidlens(['search', 'x', '--db', db, '--adapter', other]);
    expect(search.code).toBe(2);
    expect(search.stderr).toMatch(/--adapter .*other-model: trained on local:other \(sha256 ffffffffffff…\), but the index uses local:tiny/);
    const notAdapter = await vidlens(['eval', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--adapter', synth]);
    expect(notAdapter.code).toBe(2);
    expect(notAdapter.stderr).toMatch(/--adapter .*synth: not an adapter folder/);
  });

  it('stops with a clear message when the loss is not finite', async () => {
    const r = await vidlens(['train', 'retrieval', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--temperature', '1e-40', '--epochs', '2', '--batch-size', '8', '--out', join(root, 'nan')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/training diverged at epoch 1 \(loss NaN\): likely a learning rate too high \(try --lr 0\.0001\) or a temperature too small/);
    const readout = await vidlens(['train', 'readout', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--label-prefix', 'color:', '--head', 'mean', '--lr', '1e38', '--epochs', '2']);
    expect(readout.code).toBe(1);
    expect(readout.stderr).toMatch(/training diverged at epoch [12] \(loss NaN\): likely a learning rate too high \(try --lr 1e\+37\)/);
  });

  it('trains a temporal readout on per-frame features and reports test metrics per domain', async () => {
    const { code, json } = await vidlensJson<{ head: string; classes: string[]; test: { n: number; acc1: number }; domains: Record<string, { n: number }> }>([
      'train', 'readout', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--label-prefix', 'size:', '--head', 'temporal', '--epochs', '5',
    ]);
    expect(code).toBe(0);
    expect(json).toMatchObject({ head: 'temporal', classes: ['size:large', 'size:small'], test: { n: 4 } });
    // Plumbing only (4 test clips); that readouts learn is tested on planted features in test/train/learning.test.ts.
    expect(Object.keys(json.domains).sort()).toEqual(['lab', 'night']);
  });

  it('trains the attentive readout (learned queries over the frames)', async () => {
    const { code, json } = await vidlensJson<{ head: string; test: { n: number } }>(['train', 'readout', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--label-prefix', 'size:', '--head', 'attentive', '--epochs', '3']);
    expect(code).toBe(0);
    expect(json).toMatchObject({ head: 'attentive', test: { n: 4 } });
  });

  it('saves probes and readouts; eval classify --adapter on the test split reproduces the test metrics training reported', async () => {
    type Metrics = { acc1: number; mean_per_class_recall: number };
    type TrainOut = { out: string; test: Metrics & { n: number }; domains: Record<string, { metrics: Metrics }> };
    type ClassifyReport = { metrics: { classify: Metrics }; domains: Record<string, { metrics: { classify: Metrics } }>; adapter: { head: string } };
    const runs: Array<[string, string[]]> = [
      ['probe', ['train', 'probe', '--label-prefix', 'color:']],
      ['temporal', ['train', 'readout', '--label-prefix', 'size:', '--head', 'temporal', '--epochs', '4']],
      ['attentive', ['train', 'readout', '--label-prefix', 'color:', '--head', 'attentive', '--epochs', '3']],
    ];
    for (const [head, args] of runs) {
      const out = join(root, `classifier-${head}`);
      const trained = await vidlensJson<TrainOut>([...args, '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--out', out]);
      expect(trained.code, head).toBe(0);
      expect(trained.json.out).toBe(out);
      const report = await vidlensJson<ClassifyReport>(['eval', 'classify', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--split', 'test', '--adapter', out]);
      expect(report.code, head).toBe(0);
      expect(report.json.adapter).toMatchObject({ head });
      expect(report.json.metrics.classify.acc1).toBeCloseTo(trained.json.test.acc1, 6);
      expect(report.json.metrics.classify.mean_per_class_recall).toBeCloseTo(trained.json.test.mean_per_class_recall, 6);
      for (const [d, s] of Object.entries(trained.json.domains)) expect(report.json.domains[d].metrics.classify.acc1, `${head} ${d}`).toBeCloseTo(s.metrics.acc1, 6);
    }
  });

  it('refuses a classifier from another model and clips of a class it was not trained on', async () => {
    const dir = join(root, 'classifier-probe');
    const metaPath = join(dir, 'head.json');
    const original = readFileSync(metaPath, 'utf8');
    const lines = readFileSync(join(synth, 'clips.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { labels: string[] });
    const renamed = join(synth, 'new-colour.jsonl');
    writeFileSync(renamed, lines.map((l, i) => JSON.stringify({ ...l, labels: i < 2 ? ['color:teal'] : l.labels })).join('\n'));
    const unknown = await vidlens(['eval', 'classify', '--db', db, '--dataset', renamed, '--adapter', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--adapter .*classifier-probe: 2 clip\(s\) have a class it was not trained on/);
    expect(unknown.stderr).toMatch(/new-colour\.jsonl:1: label color:teal/);
    try {
      writeFileSync(metaPath, original.replace(sha256, 'f'.repeat(64)));
      const other = await vidlens(['eval', 'classify', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--adapter', dir]);
      expect(other.code).toBe(2);
      expect(other.stderr).toMatch(/--adapter .*classifier-probe: trained on local:tiny \(sha256 ffffffffffff…\)/);
    } finally {
      writeFileSync(metaPath, original);
    }
    const notOne = await vidlens(['eval', 'classify', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--adapter', synth]);
    expect(notOne.stderr).toMatch(/not a classifier folder/);
  });

  it('refuses a label family with a single class', async () => {
    const lines = readFileSync(join(synth, 'clips.jsonl'), 'utf8').trim().split('\n').map((l) => ({ ...JSON.parse(l), labels: ['kind:shape'] }));
    const path = join(synth, 'one-class.jsonl');
    writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n'));
    const r = await vidlens(['train', 'readout', '--db', db, '--dataset', path, '--label-prefix', 'kind:']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--label-prefix "kind:": only one class \(kind:shape\) in .*one-class\.jsonl; a classifier needs at least 2/);
  });

  it('runs the linear-probe protocol: a swept L2 strength, refit on train+val, test per domain', async () => {
    const { code, json } = await vidlensJson<{ lambda: number; sweep: Array<{ lambda: number; score: number }>; test: { n: number }; domains: Record<string, unknown> }>([
      'train', 'probe', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--label-prefix', 'color:',
    ]);
    expect(code).toBe(0);
    expect(json.sweep.length).toBeGreaterThanOrEqual(7);
    expect(json.sweep.slice(0, 7).map((s) => Math.round(Math.log10(s.lambda)))).toEqual([-6, -4, -2, 0, 2, 4, 6]);
    expect(json.sweep.map((s) => s.lambda)).toContain(json.lambda);
    expect(json.test.n).toBe(4);
    expect(Object.keys(json.domains).sort()).toEqual(['lab', 'night']);
  });

  it('multi-label: a BCE readout is trained and saved, eval classify --multi-label reproduces its test mAP, zero-shot works, and the two kinds are not mixed', async () => {
    // A behaviour-style family: each clip does its motion and shows its colour (two labels of one family).
    const lines = readFileSync(join(synth, 'clips.jsonl'), 'utf8').trim().split('\n').map((l) => {
      const clip = JSON.parse(l) as { labels: string[] };
      const act = clip.labels.filter((x) => x.startsWith('motion:') || x.startsWith('color:')).map((x) => `act:${x.split(':')[1]}`);
      return JSON.stringify({ ...clip, labels: act });
    });
    const dataset = join(synth, 'behaviour.jsonl');
    writeFileSync(dataset, lines.join('\n'));
    const out = join(root, 'classifier-multi');
    type Multi = { mAP: number; control_mAP: number; per_class_ap: Record<string, number>; background: string | null; n: number };
    const background = 'act:red';
    const trained = await vidlensJson<{ multiLabel: boolean; test: Multi; domains: Record<string, { metrics: Multi }> }>(['train', 'readout', '--db', db, '--dataset', dataset, '--label-prefix', 'act:', '--head', 'mean', '--multi-label', '--background', background, '--epochs', '5', '--out', out]);
    expect(trained.code, JSON.stringify(trained.json)).toBe(0);
    expect(trained.json).toMatchObject({ multiLabel: true, test: { n: 4, background } });
    expect(Object.keys(trained.json.test.per_class_ap)).toContain(background);
    const args = ['eval', 'classify', '--db', db, '--dataset', dataset, '--multi-label', '--background', background];
    const report = await vidlensJson<{ kind: string; metrics: { multilabel: Multi }; domains: Record<string, { metrics: { multilabel: Multi } }> }>([...args, '--split', 'test', '--adapter', out]);
    expect(report.code).toBe(0);
    expect(report.json.kind).toBe('multilabel');
    expect(report.json.metrics.multilabel.mAP).toBeCloseTo(trained.json.test.mAP, 6);
    expect(report.json.metrics.multilabel.control_mAP).toBeCloseTo(trained.json.test.control_mAP, 6);
    for (const [d, s] of Object.entries(trained.json.domains)) expect(report.json.domains[d].metrics.multilabel.mAP, d).toBeCloseTo(s.metrics.mAP, 6);
    const reports = join(root, 'multi-report');
    const zeroShot = await vidlens([...args, '--out', reports]);
    expect(zeroShot.code, zeroShot.stderr).toBe(0);
    expect(zeroShot.stdout).toMatch(/20 clips, \d+ classes \(background act:red not in the mean\)/);
    expect(zeroShot.stdout).toMatch(/^all +mAP \d+\.\d\d +\(label-frequency control \d+\.\d\d\)$/m);
    expect(readFileSync(join(reports, 'report.html'), 'utf8')).toMatch(/Average precision per class.*act:red \(background, not in the mean\)/s);
    const single = join(root, 'classifier-single');
    expect((await vidlens(['train', 'readout', '--db', db, '--dataset', join(synth, 'clips.jsonl'), '--label-prefix', 'color:', '--head', 'mean', '--epochs', '1', '--out', single])).code).toBe(0);
    const refusals: Array<[string[], RegExp]> = [
      [['eval', 'classify', '--db', db, '--dataset', dataset, '--label-prefix', 'act:', '--adapter', out], /a multi-label classifier .*evaluate it with --multi-label/],
      [[...args, '--adapter', single], /a single-label classifier \(softmax\); for --multi-label train one with 'vidlens train readout --multi-label'/],
      [['eval', 'classify', '--db', db, '--dataset', dataset, '--background', background], /--background: only with --multi-label/],
      [['train', 'probe', '--db', db, '--dataset', dataset, '--label-prefix', 'act:', '--multi-label'], /unknown option '--multi-label'/],
      [['eval', 'classify', '--db', db, '--dataset', dataset, '--multi-label', '--background', 'act:nosuch'], /--background act:nosuch: not one of the classes/],
    ];
    for (const [r, message] of refusals) {
      const run = await vidlens(r);
      expect(run.code, r.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
