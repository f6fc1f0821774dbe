import { access, constants } from 'node:fs/promises';
import type { OnProgress } from '../core/events.js';
import { videoHeadInput, videoHeadKey, type AdapterHeads } from '../heads/adapter/adapter.js';
import { finishLinear } from '../heads/linear/linear.js';
import { DotScorer } from '../models/dot-scorer.js';
import { transpose } from '../util/matrix.js';
import type { AdaptedStore } from '../store/adapted.js';
import type { Catalog } from '../store/catalog.js';
import { withIndexLock } from '../store/lock.js';
import type { VideoRow } from '../store/schema.js';
import { maintain, type AnnAction } from './ann.js';

/** Segments adapted per read–transform–write step: bounds memory (frame vectors included) at any index size. */
const BATCH_SEGMENTS = 20_000;
/** Refreshes of one adapter's copy take their own lock, so a long first build never holds up indexing. */
const lockOf = (store: AdaptedStore) => `.vidlens-lock-${store.name}`;

/** What a video's adapted rows were computed from: its indexing run and its domain (what filters read). */
const videoStamp = (v: VideoRow) => `${v.indexed_at}|${v.domain}`;

export interface AdaptedSync {
  store: AdaptedStore;
  /** Segments (re)adapted by this refresh. */
  adapted: number;
  /** Videos whose adapted rows were dropped (pruned, re-indexed or relabelled). */
  dropped: number;
  /** Rows the copy holds now. */
  rows: number;
  ann: AnnAction;
}

/** Stored segments through the adapter's video side, `rows × dim`: the same as `adaptVideo`, the product by ONNX Runtime. */
async function adaptRows(scorer: DotScorer, weightT: Float32Array, adapter: AdapterHeads, rows: Array<{ vector: Float32Array; frameVectors?: Float32Array }>, dim: number): Promise<Float32Array> {
  if (!rows.length) return new Float32Array(0);
  const pooled = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => pooled.set(r.vector, i * dim));
  let input: Float32Array = pooled;
  if (adapter.temporal) {
    const n = rows[0].frameVectors!.length / dim;
    const frames = new Float32Array(rows.length * n * dim);
    rows.forEach((r, i) => frames.set(r.frameVectors!, i * n * dim));
    input = videoHeadInput(adapter, pooled, frames, n, dim);
  }
  return finishLinear(adapter.weights, 'video', await scorer.scores(input, weightT), dim);
}

/** Groups videos so that each group has at most about `BATCH_SEGMENTS` segments. */
function batches(videos: VideoRow[]): VideoRow[][] {
  const out: VideoRow[][] = [];
  let current: VideoRow[] = [];
  let size = 0;
  for (const v of videos) {
    if (current.length && size + v.segments > BATCH_SEGMENTS) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(v);
    size += v.segments;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Brings the adapter's copy of the segment vectors up to date with the index: creates it, adapts the
 * segments of videos it lacks or holds from an earlier indexing run or domain, drops videos that are
 * gone, and keeps its ANN index. Cheap when nothing changed (the index's version key is compared first).
 */
export async function syncAdapted(catalog: Catalog, adapter: AdapterHeads, options: { onProgress?: OnProgress } = {}): Promise<AdaptedSync> {
  const store = catalog.adapted(videoHeadKey(adapter));
  const dim = catalog.manifest!.model.dim;
  const upToDate = async () => {
    const versionKey = await catalog.versionKey();
    const synced = await store.synced();
    return { versionKey, rows: synced?.versionKey === versionKey && (await store.exists()) ? synced.rows : undefined };
  };
  // The common case — nothing indexed since the last refresh — needs no lock.
  const before = await upToDate();
  if (before.rows !== undefined) return { store, adapted: 0, dropped: 0, rows: before.rows, ann: null };
  return withIndexLock(catalog.dir, async () => {
    const { versionKey, rows } = await upToDate();
    if (rows !== undefined) return { store, adapted: 0, dropped: 0, rows, ann: null };
    await store.markUnsynced();
    await store.create();
    const videos = await catalog.videos.all();
    const have = await store.videoStamps();
    const current = new Set(videos.map((v) => v.id));
    const stale = videos.filter((v) => have.get(v.id) !== videoStamp(v));
    const gone = [...have.keys()].filter((id) => !current.has(id));
    const drop = [...gone, ...stale.filter((v) => have.has(v.id)).map((v) => v.id)];
    await store.segments.deleteVideos(drop);
    const total = stale.reduce((n, v) => n + v.segments, 0);
    let adapted = 0;
    // The video head's product runs in ONNX Runtime (a Gemm against Wᵀ): at a million segments a JavaScript loop would take many minutes.
    const scorer = await DotScorer.create(dim);
    const weightT = transpose({ data: adapter.weights['video.weight'], rows: dim, cols: dim }).data as Float32Array;
    try {
      for (const group of batches(stale)) {
        const rows = await catalog.segments.withVectors({ videoIds: group.map((v) => v.id) }, { frames: adapter.temporal !== undefined });
        const vectors = await adaptRows(scorer, weightT, adapter, rows, dim);
        const stamps = new Map(group.map((v) => [v.id, videoStamp(v)]));
        await store.add(rows.map((r, i) => ({ segment: r.segment, stamp: stamps.get(r.segment.video_id)!, vector: vectors.subarray(i * dim, (i + 1) * dim) })));
        adapted += rows.length;
        options.onProgress?.({ task: 'adapting stored segments', done: adapted, total, unit: 'segments' });
      }
    } finally {
      await scorer.dispose();
    }
    const count = await store.segments.count();
    const ann = await maintain(store.ann, async () => count, () => store.ann.build());
    await store.markSynced({ adapter: store.key, versionKey, rows: count, synced: new Date().toISOString() });
    return { store, adapted, dropped: drop.length, rows: count, ann };
  }, { lock: lockOf(store) });
}

/**
 * The adapter's copy for a search: refreshed first where the index can be written; on a read-only
 * index, the copy only if it matches the index as it is (else undefined, and search scans).
 */
export async function adaptedForSearch(catalog: Catalog, adapter: AdapterHeads, options: { onProgress?: OnProgress } = {}): Promise<AdaptedStore | undefined> {
  const writable = await access(catalog.dir, constants.W_OK).then(() => true, () => false);
  if (writable) return (await syncAdapted(catalog, adapter, options)).store;
  const store = catalog.adapted(videoHeadKey(adapter));
  const synced = await store.synced();
  return synced && synced.versionKey === (await catalog.versionKey()) && (await store.exists()) ? store : undefined;
}
