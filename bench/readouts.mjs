#!/usr/bin/env node
// npm run bench:readouts — SciVid's tracking and forecasting readouts on the bundled pretrained model's
// frozen features, on a synthetic set of a seed pretraining never used (150 clips per domain, 60/20/20
// splits): each readout's test score beside its controls, overall and per domain, and the wall time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSynth, trainForecast, trainTracking, writePretrainedModel } from '../dist/index.js';

const work = mkdtempSync(join(tmpdir(), 'vidlens-bench-readouts-'));
const model = join(work, 'model');
const synth = join(work, 'synth');
const db = join(work, 'db');
const seed = Number(process.env.VIDLENS_BENCH_SEED ?? 32);
await writePretrainedModel(model);
await generateSynth({ out: synth, seed, perDomain: 150, domains: ['lab', 'factory', 'night', 'helmet'], size: 128, fps: 8, seconds: 4 });

const timed = async (run) => {
  const t0 = performance.now();
  const result = await run();
  return { ...result, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) };
};
const r2 = (v) => (v === null || v === undefined ? null : Number(v.toFixed(2)));
const r5 = (v) => (v === null || v === undefined ? null : Number(v.toPrecision(4)));
const trackingRow = (m) => ({ tracker: r2(m.readout?.average), control: r2(m.query_point.average), n: m.query_point.n });
const forecastRow = (m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, r5(v?.headline)]));
const perDomain = (domains, row) => Object.fromEntries(Object.entries(domains).map(([d, s]) => [d, row(s.metrics)]));

const tracking = await timed(() => trainTracking({ db, dataset: join(synth, 'tracking.jsonl'), model }));
const forecasts = [];
for (const [head, features] of [['point', 'tokens'], ['attentive', 'pooled'], ['mean', 'pooled'], ['attentive', 'tokens']]) {
  const f = await timed(() => trainForecast({ db, dataset: join(synth, 'forecast.jsonl'), model, head, features, anchor: 'last' }));
  forecasts.push({ head, features, bestEpoch: f.bestEpoch, seconds: f.seconds, test: forecastRow(f.test), domains: perDomain(f.domains, forecastRow) });
}
console.log(JSON.stringify({
  date: new Date().toISOString().slice(0, 10), seed, clips: 600,
  tracking: { metric: 'STIR average (%), higher is better', bestEpoch: tracking.bestEpoch, seconds: tracking.seconds, test: trackingRow(tracking.test), domains: perDomain(tracking.domains, trackingRow) },
  forecast: { metric: 'headline RMSE (normalised coordinates) over lead steps 0-3, lower is better', runs: forecasts },
}, null, 2));
rmSync(work, { recursive: true, force: true });
