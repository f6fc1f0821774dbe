import { availableParallelism } from 'node:os';
import type { Matrix } from '../util/matrix.js';
import { startThread } from '../util/thread.js';
import { mirFromScores, mirMetrics, validateMir, type DirectionScores, type MirMetrics } from './metrics/mir.js';
import type { MirShare } from './mir-worker.js';

/** Below this many entries threads cost more than they save (each takes ~30 ms to start). */
export const PARALLEL_MIR_ENTRIES = 1 << 20;

type ShareScores = { v2t: DirectionScores; t2v: DirectionScores };

function runShare(share: MirShare): Promise<ShareScores> {
  return new Promise((resolve, reject) => {
    const worker = startThread(new URL('./mir-worker.js', import.meta.url), { workerData: share });
    worker.once('message', (scores: ShareScores) => resolve(scores));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`an MIR worker stopped with code ${code}`))));
  });
}

/** `[from, to)` bands splitting `n` into `parts` nearly equal pieces. */
function bands(n: number, parts: number): Array<[number, number]> {
  return Array.from({ length: parts }, (_, k) => [Math.floor((k * n) / parts), Math.floor(((k + 1) * n) / parts)]);
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * `mirMetrics` on every core: each worker thread scores a band of video→text rows and a band of
 * text→video sentences (transposing only its band), so the work splits evenly. The matrices should sit
 * in shared memory (`readNpy(path, { shared: true })`), or each worker gets a copy. Same result, bit for
 * bit; small matrices and one core take the one-thread path.
 */
export async function mirMetricsParallel(sim: Matrix, rel: Matrix, threads = Math.min(4, availableParallelism())): Promise<MirMetrics> {
  if (sim.data.length < PARALLEL_MIR_ENTRIES || threads < 2) return mirMetrics(sim, rel);
  validateMir(sim, rel);
  const rowBands = bands(sim.rows, threads);
  const colBands = bands(sim.cols, threads);
  const shares = await Promise.all(rowBands.map((rows, k) => runShare({ sim, rel, rows, cols: colBands[k] })));
  const join = (side: 'v2t' | 't2v'): DirectionScores => ({ ap: concat(shares.map((s) => s[side].ap)), nd: concat(shares.map((s) => s[side].nd)) });
  return mirFromScores(join('v2t'), join('t2v'));
}
