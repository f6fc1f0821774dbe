import { parentPort, workerData } from 'node:worker_threads';
import { transposeColumns, type Matrix } from '../util/matrix.js';
import { directionScores } from './metrics/mir.js';

/** One share of `mirMetricsParallel`: video→text rows `rows`, and text→video for the sentences `cols` (that column band transposed). */
export interface MirShare {
  sim: Matrix;
  rel: Matrix;
  rows: [number, number];
  cols: [number, number];
}

const { sim, rel, rows, cols } = workerData as MirShare;
const v2t = directionScores(sim, rel, rows[0], rows[1]);
const t2v = directionScores(transposeColumns(sim, cols[0], cols[1]), transposeColumns(rel, cols[0], cols[1]));
const buffers = [v2t.ap, v2t.nd, t2v.ap, t2v.nd].map((a) => a.buffer as ArrayBuffer);
parentPort?.postMessage({ v2t, t2v }, buffers);
