/**
 * The public API of vidlens: everything the CLI, the benchmarks and scripts use, from one module.
 * Layers are listed in their order (docs/architecture.md); deep imports of `dist/` paths are not
 * part of the API.
 */
export { config } from './core/config.js';
export { VidlensError, inputError, usageError, type ErrorKind } from './core/errors.js';
export { VERSION } from './core/version.js';
export { Rng } from './util/random.js';
export { readNpy, writeNpy } from './util/npy.js';

export { mediaBinaries } from './media/binaries.js';
export { decodeFrames, SEEK_THRESHOLD_FRAMES_PER_SAMPLE } from './media/decode.js';
export { planSegments, type SamplingOptions } from './media/plan.js';
export { probeVideo } from './media/probe.js';

export { BUNDLED_MODEL_DIR, writePretrainedModel } from './models/bundled.js';
export type { Encoder, ModelManifest } from './models/encoder.js';
export { loadEncoder } from './models/load.js';
export { B32_SIZES, writeTinyModel } from './models/tiny/write.js';
export { l2NormalizeRows } from './models/vectors.js';
export { adapterSpec, adaptText, adaptVideo, type AdapterHeads, type RetrievalAdapter } from './heads/adapter/adapter.js';
export { loadAdapter, saveAdapter } from './heads/adapter/store.js';
export { initialWeights, randomWeights, type HeadSpec, type HeadWeights } from './heads/spec.js';
export { Reranker } from './heads/reranker/reranker.js';

export { Catalog } from './store/catalog.js';
export { ANN_KIND, ANN_THRESHOLD, annPartitions, type AnnState, type AnnBuild } from './store/ann.js';
export { maintainAnn, optimizeIndex } from './indexing/ann.js';
export { runImport, type ImportOptions, type ImportSummary } from './indexing/import.js';
export { pruneGone, goneVideos } from './indexing/prune.js';
export { indexInfo, type IndexInfo } from './store/info.js';

export { openIndex, DEFAULT_SAMPLING } from './indexing/open.js';
export { runIndex, type IndexOptions, type IndexSummary } from './indexing/run.js';

export { SearchService, type SearchResponse, type SearchResult } from './search/search.js';
export { momentSpans, SPAN_STRATEGIES, type SpanStrategy, type MomentSpan } from './search/spans.js';
export { refineSpan } from './search/refine.js';
export { runEvalMoments, type EvalMomentsOptions } from './eval/run-moments.js';
export { momentMetrics, temporalIoU, type MomentMetrics, type MomentPrediction, type MomentTruth } from './eval/metrics/moments.js';
export { trackingMetrics, STIR_THRESHOLDS_PX, type TrackingMetrics, type TrackingSample } from './eval/metrics/tracking.js';
export { forecastMetrics, SCIVID_LEADS, type ForecastMetrics, type ForecastPair } from './eval/metrics/forecast.js';
export { generateLongSynth, type LongSynthOptions } from './synth/long.js';
export { groupByVideo, type MergedHit, type VideoGroup } from './search/group.js';
export { MemoryIndex } from './search/memory-index.js';

export { captionSet, embedTexts, type CaptionSet } from './features/captions.js';
export { clipFeatures, type ClipFeatures } from './features/clip-features.js';
export { labelRelevance, loadRelevancy } from './features/relevancy.js';
export { loadClipsJsonl } from './eval/datasets/clips.js';
export { ek100Relevancy, loadEk100Mir } from './eval/datasets/ek100.js';
export { transpose, type Matrix } from './util/matrix.js';
export { mirMetrics, type MirMetrics } from './eval/metrics/mir.js';
export { hitsAtExactKth } from './eval/metrics/ann-recall.js';
export { retrievalMetrics, dualSoftmax, type RetrievalMetrics, type TiePolicy } from './eval/metrics/retrieval.js';
export { transferMatrix } from './eval/metrics/slices.js';
export { renderSvg } from './eval/report/charts.js';
export { mixMir, rerankBothWays } from './eval/rerank.js';
export { similarityMatrix, subMatrix } from './eval/similarity.js';

export { READOUT_LR, TEMPORAL_WIDTH } from './train/defaults.js';
export { infoNce } from './train/losses.js';
export { linearProbe } from './train/probe.js';
export { fitReadout, standardise } from './train/readout.js';
export { fitReranker } from './train/rerank.js';
export { fitRetrievalHeads } from './train/retrieval.js';
export { trainForecast, type ForecastTrainSummary, type TrainForecastOptions } from './train/run-forecast.js';
export { trainTracking, type TrackingTrainSummary, type TrainTrackingOptions } from './train/run-tracking.js';
export { evalForecast, type EvalForecastOptions } from './eval/run-forecast.js';
export { evalTracking, type EvalTrackingOptions } from './eval/run-tracking.js';
export { clipTokens, type ClipTokens } from './features/clip-tokens.js';
export { initTf, matMul, tf } from './heads/tf.js';
export { PRETRAIN_DEFAULTS, PRETRAIN_RECIPES } from './train/pretrain/defaults.js';
export { writePretrained } from './train/pretrain/export.js';
export { pretrainFrames } from './train/pretrain/frames.js';
export { singleObjectTop1, zeroShotPrompt } from './train/pretrain/zero-shot.js';
export { pretrainClip, type PretrainEpoch, type PretrainOptions, type PretrainResult } from './train/pretrain/pretrain.js';

export { generateSynth } from './synth/generate.js';
export { COLORS, SHAPES, SIZES } from './synth/grammar.js';

export { Session, withSession, type SearchRequest, type SessionOptions } from './app/session.js';
export { IndexJobs, type JobView, type JobState } from './app/jobs.js';
export { ReportShelf, type ReportEntry } from './app/reports.js';
export { buildServer, type ServerOptions } from './server/app.js';
export { remoteSearch } from './server/client.js';
