import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { SCIVID_LEADS, type ForecastMetrics } from '../../eval/metrics/forecast.js';
import type { TrackingMetrics } from '../../eval/metrics/tracking.js';
import { note, printJson, printLine } from '../output.js';
import { nonNegativeIntegerList } from '../parse.js';

/** STIR accuracies as text. */
export function trackingLines(m: TrackingMetrics): string[] {
  const cells = Object.entries(m.acc).map(([t, a]) => `≤${t}px ${a.toFixed(2)}`);
  return [`${cells.join('  ')}  average ${m.average.toFixed(2)}  (n=${m.n} query points)`];
}

/** Forecast RMSE per lead step and the headline, as text. */
export function forecastLines(m: ForecastMetrics): string[] {
  const steps = Object.entries(m.rmse).map(([t, r]) => `${t}: ${r.toPrecision(4)}`);
  return [`RMSE per step  ${steps.join('  ')}`, `headline (mean over steps ${m.leads.join(', ')}) ${m.headline.toPrecision(4)}  (n=${m.n})`];
}

export function registerMetricsReadouts(metrics: Command): void {
  metrics
    .command('tracking')
    .description('point tracking as SciVid scores STIR: accuracy within 4/8/16/32/64 px of the nearest valid end point (1280×1024 px, rounded)')
    .requiredOption('--pred <file.jsonl>', 'predictions: {"id", "points": [[x, y], ...]} per line, one point per query, normalised to [0, 1]')
    .requiredOption('--gt <file.jsonl>', 'ground truth: {"id", "endpoints": [[x, y], ...], "valid": [true, ...]} per line')
    .option('--json', 'print one JSON document')
    .action(async (flags: { pred: string; gt: string; json?: boolean }) => {
      const [{ loadTracking }, { trackingMetrics }] = await Promise.all([import('../../eval/datasets/tracking.js'), import('../../eval/metrics/tracking.js')]);
      const { samples, warnings } = await loadTracking(flags);
      for (const w of warnings) note(`warning: ${w}`);
      const m = trackingMetrics(samples);
      if (flags.json) return printJson({ acc: m.acc, average: m.average, n: m.n });
      for (const line of trackingLines(m)) printLine(line);
    });

  metrics
    .command('forecast')
    .description('forecasting as SciVid scores Digital Typhoon: RMSE per lead step and their mean over --leads')
    .requiredOption('--pred <file.jsonl>', 'forecasts: {"id", "values": [v0, v1, ...]} per line (numbers, or vectors [[x, y], ...])')
    .requiredOption('--gt <file.jsonl>', 'truth: {"id", "values": [...]} per line, as many steps as the forecasts')
    .option('--leads <steps>', '0-indexed steps the headline averages', nonNegativeIntegerList, [...SCIVID_LEADS])
    .option('--json', 'print one JSON document')
    .action(async (flags: { pred: string; gt: string; leads: number[]; json?: boolean }) => {
      const [{ loadForecasts }, { forecastMetrics }] = await Promise.all([import('../../eval/datasets/forecast.js'), import('../../eval/metrics/forecast.js')]);
      const { pairs, warnings } = await loadForecasts(flags);
      for (const w of warnings) note(`warning: ${w}`);
      const steps = pairs[0].truth.length;
      const beyond = flags.leads.filter((lead) => lead >= steps);
      if (beyond.length) throw usageError(`--leads ${flags.leads.join(',')}: step ${beyond.join(', ')} is beyond the forecasts, which have ${steps} steps (0–${steps - 1}); pass --leads with steps below ${steps}`);
      const m = forecastMetrics(pairs, flags.leads);
      if (flags.json) return printJson({ rmse: m.rmse, headline: m.headline, leads: m.leads, n: m.n });
      for (const line of forecastLines(m)) printLine(line);
    });
}
