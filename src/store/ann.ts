import { Index } from '@lancedb/lancedb';
import type { IndexDb } from './database.js';
import { SEGMENTS } from './schema.js';

/**
 * The approximate nearest-neighbour index of the `segments` vectors: LanceDB's IVF_PQ on cosine
 * distance. Rows added after it was built are not in it but are still searched (LanceDB scans them
 * exactly and merges the results), until `update` folds them in.
 */

/** Segments from which `vidlens index` builds the ANN index by itself (`VIDLENS_ANN_THRESHOLD` overrides). */
export const ANN_THRESHOLD = 100_000;
/**
 * Partitions probed per query (twice as many under a filter, which leaves fewer candidates in each),
 * and the refine factor (candidates re-ranked on full vectors, × k). Measured at a million segments
 * (BENCHMARKS.md): recall comes from re-ranking — refine 10 gave recall@10 0.59 at any probe count,
 * refine 50 gave 1.0.
 */
export const ANN_NPROBES = 16;
export const ANN_REFINE = 50;
/** `index` updates the ANN index when this share of the rows is not in it yet. */
export const ANN_UPDATE_SHARE = 0.1;
/** k-means iterations when training partitions and codebooks (LanceDB's default is 50). */
export const ANN_TRAIN_ITERATIONS = 25;
/** PQ trains 256 centroids per sub-vector: fewer rows than this cannot train it. */
export const ANN_MIN_ROWS = 256;

export interface AnnState {
  kind: string;
  indexedRows: number;
  unindexedRows: number;
}

/** What the manifest records of the index's build. */
export interface AnnBuild {
  partitions: number;
  subVectors: number;
  rows: number;
  built: string;
}

const INDEX_NAME = 'vector_idx';

/**
 * IVF partitions ≈ √rows / 4 (a quarter of LanceDB's default, so that training stays minutes on a
 * laptop at a million rows), with at least 40 rows each; sub-vectors of 8 values, dividing `dim`.
 */
export function annShape(rows: number, dim: number): { partitions: number; subVectors: number } {
  const partitions = Math.max(1, Math.min(Math.round(Math.sqrt(rows) / 4), Math.floor(rows / 40)));
  let subVectors = Math.max(1, Math.floor(dim / 8));
  while (dim % subVectors) subVectors--;
  return { partitions, subVectors };
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
    const stats = await table.indexStats(found.name);
    return stats && { kind: stats.indexType, indexedRows: stats.numIndexedRows, unindexedRows: stats.numUnindexedRows };
  }

  /** Builds (or rebuilds) the index over every row now in the table. */
  async build(dim: number): Promise<AnnBuild> {
    const table = await this.db.require(this.name);
    const rows = await table.countRows();
    if (rows < ANN_MIN_ROWS) throw new RangeError(`the index has ${rows} segments; an ANN index needs at least ${ANN_MIN_ROWS}`);
    const shape = annShape(rows, dim);
    await table.createIndex('vector', {
      config: Index.ivfPq({ numPartitions: shape.partitions, numSubVectors: shape.subVectors, distanceType: 'cosine', maxIterations: ANN_TRAIN_ITERATIONS }),
      replace: true,
      name: INDEX_NAME,
    });
    // Scalar indexes for the filters, so a prefilter does not read the whole column per query.
    await table.createIndex('domain', { config: Index.bitmap(), replace: true });
    await table.createIndex('video_id', { config: Index.btree(), replace: true });
    return { ...shape, rows, built: new Date().toISOString() };
  }

  /** Folds rows added since the build into the index (and compacts the table's files). */
  async update(): Promise<AnnState | undefined> {
    const table = await this.db.require(this.name);
    await table.optimize();
    return this.state();
  }
}
