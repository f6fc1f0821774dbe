import type { SpanStrategy } from '../../search/spans.js';
import type { MomentMetrics } from '../metrics/moments.js';
import type { mirJson } from '../mir-report.js';
import type { ClassificationMetrics, MultiLabelMetrics } from '../metrics/classification.js';
import type { AccuracyScore, OpenQaScore } from '../metrics/qa.js';
import type { ForecastScores } from '../forecast-data.js';
import type { TrackingScores } from '../tracking-data.js';
import type { GalleryChance, RetrievalMetrics } from '../metrics/retrieval.js';

/**
 * The JSON record every `vidlens eval` writes (`report.json`) and prints with `--json`: one typed
 * value per task, discriminated by `kind`. The HTML page and the CLI summary read these fields
 * directly; nothing reads a report back by string paths.
 */

/** The model under test: an encoder (with its weights hash and width) or a chat model (its id). */
export interface ModelRef {
  id: string;
  sha256?: string;
  dim?: number;
}

export interface ReportHeader {
  vidlens: string;
  created: string;
  model: ModelRef | null;
  dataset: { path: string; sha256: string; n: number; format: string };
  config: Record<string, unknown>;
  /** Names, sources and directions of every number in `metrics`. */
  definitions: Record<string, string>;
  adapter: null | Record<string, unknown>;
  warnings: string[];
}

interface TaskReport<K extends string, M, D, DomainMetrics = M> extends ReportHeader {
  kind: K;
  metrics: M;
  domains: Record<string, { n: number; metrics: DomainMetrics }>;
  /** Per-query (retrieval), per-clip (classify) or per-item (qa) details. */
  details: D[];
}

export type Span = { start: number; end: number };

export interface RetrievalReportMetrics {
  retrieval: RetrievalMetrics;
  mir: ReturnType<typeof mirJson>;
  /** The slice's gallery size and the chance levels on it. */
  gallery: GalleryChance;
}

export interface RetrievalDetail {
  caption: string;
  clip: number;
  rank: number;
  score: number;
  video: string;
  span: Span;
  domain: string;
  top: Array<{ clip: number; score: number; video: string; span: Span }>;
}

export interface RetrievalReport extends TaskReport<'retrieval', RetrievalReportMetrics, RetrievalDetail> {
  /** The reranker re-scoring each query's top results, if any. */
  reranker: null | Record<string, unknown>;
  curves: { recall_at_k: Array<{ k: number; t2v: number }> };
}

export interface ClassifyDetail {
  video: string;
  span: Span;
  domain: string;
  label: string;
  predicted: string;
  correct: boolean;
  score: number;
}

export type ClassifyReport = TaskReport<'classify', { classify: ClassificationMetrics }, ClassifyDetail>;

export interface MultiLabelDetail {
  video: string;
  span: Span;
  domain: string;
  labels: string[];
  /** The highest-scoring classes, as many as the clip has labels (at least one). */
  top: Array<{ label: string; score: number }>;
}

export type MultiLabelReport = TaskReport<'multilabel', { multilabel: MultiLabelMetrics }, MultiLabelDetail>;

export interface QaMetrics {
  closeqa?: { strict: AccuracyScore; lenient: AccuracyScore };
  openqa?: OpenQaScore;
  baseline?: { closeqa: { strict: AccuracyScore } };
}

export interface QaDetail {
  id: string;
  domain: string;
  category: string;
  question: string;
  options: string[];
  /** The answer key's letter; null when the run only predicts (no --answers). */
  key: string | null;
  reply?: string;
  strict?: boolean;
  lenient?: boolean;
  lenientLetter?: string;
  judge?: string[];
  mark?: number;
  baseline?: { letter: string; correct: boolean | null; scores: number[] };
}

export type QaReport = TaskReport<'qa', QaMetrics & { categories: Record<string, { n: number; metrics: QaMetrics }> }, QaDetail, QaMetrics>;

/** The moment metrics of each way of turning hits into spans (`search/spans.ts`). */
export type MomentsMetrics = Record<SpanStrategy, MomentMetrics>;

export interface MomentDetail {
  id: string;
  query: string;
  video: string;
  domain: string;
  /** The ground-truth windows. */
  windows: Array<[number, number]>;
  /** The best refined spans, best first. */
  top: Array<{ video: string; start: number; end: number; score: number }>;
  /** The top-1 span's tIoU in each strategy. */
  iou: Record<SpanStrategy, number>;
}

export type MomentsReport = TaskReport<'moments', MomentsMetrics, MomentDetail>;

export interface ForecastDetail {
  id: string;
  video: string;
  span: Span;
  domain: string;
  /** The true values, per lead step. */
  values: number[][];
  /** The forecaster's values (null without one) and persistence's (null without a history). */
  forecast: number[][] | null;
  persistence: number[][] | null;
}

export type ForecastReport = TaskReport<'forecast', { forecast: ForecastScores }, ForecastDetail>;

export interface TrackingDetail {
  id: string;
  video: string;
  span: Span;
  domain: string;
  queries: Array<[number, number]>;
  endpoints: Array<[number, number]>;
  valid: boolean[];
  /** The tracker's end points (null without one), and each one's distance in px to the nearest valid end point. */
  predicted: Array<[number, number]> | null;
  distances: number[] | null;
  /** The same distances for the query points themselves (the control). */
  controlDistances: number[];
}

export type TrackingReport = TaskReport<'tracking', { tracking: TrackingScores }, TrackingDetail>;

export type EvalReport = RetrievalReport | ClassifyReport | MultiLabelReport | QaReport | MomentsReport | ForecastReport | TrackingReport;

/** Every report kind, as a value (what a reader of report folders accepts). */
export const REPORT_KINDS: ReadonlySet<string> = new Set(['retrieval', 'classify', 'multilabel', 'qa', 'moments', 'forecast', 'tracking'] satisfies Array<EvalReport['kind']>);
