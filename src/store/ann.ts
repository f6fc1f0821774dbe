import { Index } from '@lancedb/lancedb';
import type { IndexDb } from './database.js';
import { SEGMENTS } from './schema.js';

/**
 * The approximate nearest-neighbour index of the `segments` vectors: LanceDB's IVF_HNSW_SQ on cosine
 * distance (a few large IVF partitions, an HNSW graph over each, vectors scalar-quantised to 8 bits,
 * candidates re-ranked on the full vectors). Rows added after it was built are not in it but are still
 * searched (LanceDB scans them exactly and merges the results), until `update` folds them in.
 */

/** Segments from which `vidlens index` builds the ANN index by itself (`VIDLENS_ANN_THRESHOLD` overrides). */
export const ANN_THRESHOLD = 100_000;
/** The index type `build` makes; an index of another type (an older build) is rebuilt by the next `index` or `optimize`. */
export const ANN_KIND = 'IVF_HNSW_SQ';
/**
 * Per query: partitions probed, the HNSW search breadth `ef` (raised to k × refine when that is more),
 * and the refine factor (candidates re-ranked on full vectors, × k). Measured (BENCHMARKS.md): at a
 * million segments near-point recall@10 is 0.99–1 at 8 probes from ef 50 / refine 5 up, with or without a
 * domain filter (the graph search, unlike IVF_PQ's, needs no more probes under a filter); across the
 * modality gap (the bundled model's caption queries, `bench:ann-recall`) the graph search is the limit:
 * with the model trained 2026-12-07, ef 200 found 0.896 and ef 400 0.956, filtered or not. ef stays 200:
 * at a million segments ef 400 took the filtered p50 from 13.8 to 16.4 ms, past the 15 ms held to there;
 * text search on a small index gains from `VIDLENS_ANN_EF=400` at no cost.
 */
export const ANN_NPROBES = 8;
export const ANN_EF = 200;
export const ANN_REFINE = 10;
/**
 * A filtered ANN search over a broad filter (a share of the rows that keeps the depth below within
 * `POSTFILTER_MAX_DEPTH`) takes the unfiltered nearest `POSTFILTER_OVERSAMPLE × k / share` rows and
 * keeps those that pass, instead of prefiltering the graph search (whose walk computes a distance for
 * every node it passes, rejected or not: at a million segments under `domain =` a quarter of them,
 * p50 20.5 ms prefiltered against 12.9 ms this way, recall unchanged; `bench:search`, BENCHMARKS.md). When the true
 * nearest rows were found, the passing ones among them are exactly the filter's nearest; when fewer
 * than k pass (the query's neighbourhood is mostly outside the filter), the search is prefiltered instead.
 */
export const POSTFILTER_OVERSAMPLE = 2;
export const POSTFILTER_MAX_DEPTH = 200;
/** Rows per IVF partition: few, large ones, since each is searched through its graph rather than scanned. */
export const ANN_PARTITION_ROWS = 32_000;
/** HNSW graph degree and build breadth (LanceDB's defaults are 20 and 300; 150 keeps a million rows to about 150 s on 2 cores, compaction included). */
export const ANN_HNSW_M = 20;
export const ANN_EF_CONSTRUCTION = 150;
/** `index` updates the ANN index when this share of the rows is not in it yet. */
export const ANN_UPDATE_SHARE = 0.1;
/** k-means iterations when training the partitions (LanceDB's default is 50). */
export const ANN_TRAIN_ITERATIONS = 25;
/** The fewest rows an ANN index is built for (`optimize --ann` included); smaller tables are always scanned. */
export const ANN_MIN_ROWS = 256;

export interface AnnState {
  kind: string;
  indexedRows: number;
  unindexedRows: number;
}

/** What the manifest records of the index's build. */
export interface AnnBuild {
  kind: string;
  partitions: number;
  rows: number;
  built: string;
}

const INDEX_NAME = 'vector_idx';

/** IVF partitions of about `ANN_PARTITION_ROWS` rows each: 4 at 100,000 rows, 32 at a million. */
export function annPartitions(rows: number): number {
  return Math.max(1, Math.ceil(rows / ANN_PARTITION_ROWS));
}

/** The ANN index of a table's `vector` column: `segments` by default, or an adapter's copy of it. */
export class AnnIndex {
  constructor(
    private readonly db: IndexDb,
    private readonly name: string = SEGMENTS,
  ) {}

  /** The index's state, or undefined when there is none. */
  async state(): Promise<AnnState | undefined> {
    const table = await this.db.table(this.name);
    if (!table) return undefined;
    const found = (await table.listIndices()).find((i) => i.columns.includes('vector'));
    if (!found) return undefined;
    // Otherwise Lance warns on stderr, at every call, that its statistics will stop including centroids (not read here).
    process.env.LANCE_INCLUDE_VECTOR_CENTROIDS ??= 'false';
    const stats = await table.indexStats(found.name);
    return stats && { kind: stats.indexType, indexedRows: stats.numIndexedRows, unindexedRows: stats.numUnindexedRows };
  }

  /** Compacts the table and builds (or rebuilds) the index over every row now in it. */
  async build(): Promise<AnnBuild> {
    const table = await this.db.require(this.name);
    const rows = await table.countRows();
    if (rows < ANN_MIN_ROWS) throw new RangeError(`the index has ${rows} segments; an ANN index needs at least ${ANN_MIN_ROWS}`);
    const partitions = annPartitions(rows);
    // Compacted first, into fragments of up to a million rows: the re-ranking reads each candidate's full
    // vector, and across the many small fragments commits leave (one per video) those reads were most of
    // a query (bench:search at a million rows in 50 fragments: p50 18 ms, in one 12 ms).
    await table.optimize();
    await table.createIndex('vector', {
      config: Index.hnswSq({ numPartitions: partitions, distanceType: 'cosine', maxIterations: ANN_TRAIN_ITERATIONS, m: ANN_HNSW_M, efConstruction: ANN_EF_CONSTRUCTION }),
      replace: true,
      name: INDEX_NAME,
    });
    // Scalar indexes for the filters, so a prefilter does not read the whole column per query.
    await table.createIndex('domain', { config: Index.bitmap(), replace: true });
    await table.createIndex('video_id', { config: Index.btree(), replace: true });
    return { kind: ANN_KIND, partitions, rows, built: new Date().toISOString() };
  }

  /** Folds rows added since the build into the index (and compacts the table's files). */
  async update(): Promise<AnnState | undefined> {
    const table = await this.db.require(this.name);
    await table.optimize();
    return this.state();
  }
}
