import type { Command } from 'commander';
import { Option } from 'commander';
import { config } from '../../core/config.js';
import { FORECAST_ANCHORS, FORECAST_HEADS, READOUT_FEATURES, type ForecastAnchor, type ForecastHead, type ReadoutFeatures } from '../../heads/forecast/forecaster.js';
import { READOUT_DEFAULTS, READOUT_LR } from '../../train/defaults.js';
import { printJson, printLine } from '../output.js';
import { outputFolder } from '../outputs.js';
import { nonNegativeInteger, nonNegativeIntegerList, positiveInteger, positiveNumber } from '../parse.js';
import { progressBar } from '../progress.js';
import { finishReport } from '../report-output.js';
import { trainingProgress } from '../progress.js';

const LEADS_HELP = "0-indexed lead steps of the headline RMSE (default: SciVid's 0,1,2,5,11 for a 12-step forecast, else every step)";

/** `train forecast` and `train tracking`: SciVid's readouts beyond classification. */
export function registerTrainReadouts(train: Command): void {
  train
    .command('tracking')
    .description("track query points from the first frame to the last on frozen patch tokens (a correlation readout: the point's query token cross-attends over every frame), scored as SciVid scores STIR beside the query-point control")
    .requiredOption('--dataset <tracking.jsonl>', 'clips with "queries" (first frame), "endpoints" (last frame), "valid" and "split": "train" / "val" / "test" (vidlens synth writes tracking.jsonl)')
    .option('--db <dir>', 'index whose model gives the frozen features', config.db())
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .option('--out <dir>', "save the tracker (for 'vidlens eval tracking --adapter DIR')")
    .option('--epochs <n>', 'maximum epochs', positiveInteger, READOUT_DEFAULTS.epochs)
    .option('--lr <x>', 'peak AdamW learning rate (5 % linear warmup, cosine decay; weight decay 1e-4)', positiveNumber, READOUT_LR)
    .option('--seed <n>', 'random seed', nonNegativeInteger, READOUT_DEFAULTS.seed)
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExample:\n  vidlens train tracking --dataset synth/tracking.jsonl --out trackers/points\n  vidlens eval tracking --dataset synth/tracking.jsonl --split test --adapter trackers/points --out reports/tracking')
    .action(async (flags: { db: string; dataset: string; model?: string; out?: string; epochs: number; lr: number; seed: number; json?: boolean }) => {
      outputFolder('--out', flags.out);
      const [{ trainTracking }, { trackingScoreLine }] = await Promise.all([import('../../train/run-tracking.js'), import('../../eval/report/readout-sections.js')]);
      const { bar, onProgress, onEpoch } = trainingProgress((v) => `val STIR avg ${v.toFixed(1)} %`);
      const summary = await trainTracking({ ...flags, onProgress, onEpoch }).finally(() => bar.stop());
      if (flags.json) return printJson(summary);
      printLine(`point tracker (${summary.backend}): best validation STIR average ${summary.valAverage.toFixed(1)} % at epoch ${summary.bestEpoch} of ${summary.epochs}`);
      printLine(trackingScoreLine('test', summary.test));
      for (const [d, s] of Object.entries(summary.domains)) printLine(trackingScoreLine(d, s.metrics));
      if (summary.out) printLine(`wrote ${summary.out}`);
    });

  train
    .command('forecast')
    .description("forecast the next values of a per-clip series from frozen per-frame features (SciVid's Digital Typhoon readout), scored beside persistence, constant velocity and the training mean")
    .requiredOption('--dataset <forecast.jsonl>', 'clips with "values" to forecast, "history" observed before them and "split": "train" / "val" / "test" (vidlens synth writes forecast.jsonl)')
    .option('--db <dir>', 'index whose model gives the frozen features', config.db())
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .option('--out <dir>', "save the forecaster (for 'vidlens eval forecast --adapter DIR')")
    .addOption(new Option('--head <head>', "mean: SciVid's linear readout (mean over time and tokens); attentive: SciVid's attentive readout; point: the last observed position's query token cross-attends over every frame's patch tokens and the forecast continues its attended track (needs --features tokens)").choices([...FORECAST_HEADS]).default('attentive'))
    .addOption(new Option('--anchor <anchor>', 'last: forecast the change from the last observed value; mean: the deviation from the training mean (SciVid)').choices([...FORECAST_ANCHORS]).default('last'))
    .addOption(new Option('--features <kind>', "pooled: each frame's embedding; tokens: each frame's patch tokens (dense features, computed on the fly)").choices([...READOUT_FEATURES]).default('pooled'))
    .option('--leads <steps>', LEADS_HELP, nonNegativeIntegerList)
    .option('--epochs <n>', 'maximum epochs', positiveInteger, READOUT_DEFAULTS.epochs)
    .option('--lr <x>', 'peak AdamW learning rate (5 % linear warmup, cosine decay; weight decay 1e-4)', positiveNumber, READOUT_LR)
    .option('--seed <n>', 'random seed', nonNegativeInteger, READOUT_DEFAULTS.seed)
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExample:\n  vidlens train forecast --dataset synth/forecast.jsonl --out forecasters/actor\n  vidlens eval forecast --dataset synth/forecast.jsonl --split test --adapter forecasters/actor --out reports/forecast')
    .action(async (flags: { db: string; dataset: string; model?: string; out?: string; head: ForecastHead; anchor: ForecastAnchor; features: ReadoutFeatures; leads?: number[]; epochs: number; lr: number; seed: number; json?: boolean }) => {
      outputFolder('--out', flags.out);
      const [{ trainForecast }, { forecastScoreLines }] = await Promise.all([import('../../train/run-forecast.js'), import('../../eval/report/readout-sections.js')]);
      const { bar, onProgress, onEpoch } = trainingProgress((v) => `val RMSE ${v.toPrecision(4)}`);
      const summary = await trainForecast({ ...flags, onProgress, onEpoch }).finally(() => bar.stop());
      if (flags.json) return printJson(summary);
      printLine(`${summary.head} forecaster, anchor ${summary.anchor} (${summary.backend}): best validation headline RMSE ${summary.valRmse.toPrecision(4)} at epoch ${summary.bestEpoch} of ${summary.epochs} (lead steps ${summary.leads.join(', ')})`);
      printLine(forecastScoreLines('test', summary.test));
      for (const [d, s] of Object.entries(summary.domains)) printLine(forecastScoreLines(d, s.metrics));
      if (summary.out) printLine(`wrote ${summary.out}`);
    });
}

/** `eval forecast` and `eval tracking`. */
export function registerEvalReadouts(evalCommand: Command): void {
  evalCommand
    .command('tracking')
    .description("point tracking as SciVid scores STIR: a trained tracker's accuracy within 4/8/16/32/64 px of the nearest valid end point beside the query-point control, overall and per domain")
    .requiredOption('--dataset <tracking.jsonl>', 'clips with "queries", "endpoints" and "valid" (vidlens synth writes tracking.jsonl)')
    .option('--db <dir>', 'index whose model gives the frozen features', config.db())
    .option('--adapter <dir>', "a tracker from 'vidlens train tracking --out DIR' (without one, only the control is scored)")
    .option('--split <name>', 'evaluate only clips with this "split" (e.g. test)')
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .option('--out <dir>', 'write report.json and report.html here')
    .option('--json', 'print the report JSON')
    .action(async (flags: { db: string; dataset: string; adapter?: string; split?: string; model?: string; out?: string; json?: boolean }) => {
      outputFolder('--out', flags.out);
      const { evalTracking } = await import('../../eval/run-tracking.js');
      const bar = progressBar();
      const report = await evalTracking({ ...flags, onProgress: bar.update }).finally(() => bar.stop());
      await finishReport(report, flags);
    });

  evalCommand
    .command('forecast')
    .description('forecasting as SciVid scores Digital Typhoon: RMSE per lead step and the headline, for a trained forecaster beside persistence, constant velocity and the training mean, overall and per domain')
    .requiredOption('--dataset <forecast.jsonl>', 'clips with "values" to forecast and the "history" observed before them (vidlens synth writes forecast.jsonl)')
    .option('--db <dir>', 'index whose model gives the frozen features', config.db())
    .option('--adapter <dir>', "a forecaster from 'vidlens train forecast --out DIR' (without one, only the controls are scored)")
    .option('--split <name>', 'evaluate only clips with this "split" (e.g. test)')
    .option('--leads <steps>', LEADS_HELP, nonNegativeIntegerList)
    .option('--model <id|dir>', "model for a new index (default: the index's)")
    .option('--out <dir>', 'write report.json and report.html here')
    .option('--json', 'print the report JSON')
    .action(async (flags: { db: string; dataset: string; adapter?: string; split?: string; leads?: number[]; model?: string; out?: string; json?: boolean }) => {
      outputFolder('--out', flags.out);
      const { evalForecast } = await import('../../eval/run-forecast.js');
      const bar = progressBar();
      const report = await evalForecast({ ...flags, onProgress: bar.update }).finally(() => bar.stop());
      await finishReport(report, flags);
    });
}
