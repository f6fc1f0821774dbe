import { sweepRegularisation } from './sweep.js';
import type { HeadWeights } from '../heads/spec.js';
import { initTf, matMul, tf, variableFrom } from '../heads/tf.js';

export interface ProbeInput {
  /** Pooled, standardised features, `clips × dim`. */
  features: Float32Array;
  dim: number;
  labels: number[];
  classes: number;
  train: number[];
  val: number[];
  /** Full-batch Adam iterations per fit. */
  iterations?: number;
  /** Called after each fit of the sweep (λ tried so far). */
  onFit?: (fits: number, lambda: number, valAccuracy: number) => void;
}

export interface ProbeResult {
  /** The L2 coefficient chosen on the validation split. */
  lambda: number;
  valAccuracy: number;
  /** Every value tried, in order, with its validation accuracy. */
  sweep: Array<{ lambda: number; score: number }>;
  /** Logits for every clip (`clips × classes`) of the model refit on train + val. */
  logits: Float32Array;
  /** The refit model: logits = x · w + b, `w` is `dim × classes`. */
  weights: HeadWeights;
  backend: string;
}

/** Multinomial logistic regression: mean cross-entropy + λ‖W‖², full-batch Adam. Returns logits for all rows and the weights. */
async function fitLogistic(input: ProbeInput, rows: number[], lambda: number): Promise<{ logits: Float32Array; weights: HeadWeights }> {
  const { dim, classes } = input;
  const x = tf.tensor2d(input.features, [input.features.length / dim, dim]);
  const xs = tf.gather(x, rows) as tf.Tensor2D;
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(rows.map((r) => input.labels[r]), 'int32'), classes));
  const w = variableFrom(new Float32Array(dim * classes), [dim, classes]);
  const b = variableFrom(new Float32Array(classes), [classes]);
  const optimizer = tf.train.adam(0.05);
  try {
    for (let i = 0; i < (input.iterations ?? 200); i++) {
      optimizer.minimize(() => {
        const ce = tf.losses.softmaxCrossEntropy(ys, matMul(xs, w as unknown as tf.Tensor2D).add(b));
        return ce.add(w.square().sum().mul(lambda)) as tf.Scalar;
      });
    }
    const logits = tf.tidy(() => matMul(x, w as unknown as tf.Tensor2D).add(b).dataSync() as Float32Array).slice();
    return { logits, weights: { w: w.dataSync().slice() as Float32Array, b: b.dataSync().slice() as Float32Array } };
  } finally {
    for (const t of [x, xs, ys, w, b]) t.dispose();
    optimizer.dispose();
  }
}

function accuracy(logits: Float32Array, classes: number, rows: number[], labels: number[]): number {
  let correct = 0;
  for (const r of rows) {
    const row = Array.from(logits.subarray(r * classes, (r + 1) * classes));
    if (row.indexOf(Math.max(...row)) === labels[r]) correct++;
  }
  return correct / rows.length;
}

/**
 * The linear-probe protocol (REFERENCES §3): logistic regression on frozen pooled features, the L2
 * coefficient chosen on the validation split by the sweep (7 values two decades apart over
 * 1e-6…1e6, then 8 halvings of the log-interval around the best), the final model refit on
 * train + val; the test split is for the caller to score once.
 */
export async function linearProbe(input: ProbeInput): Promise<ProbeResult> {
  const backend = await initTf();
  let fits = 0;
  const sweep = await sweepRegularisation(async (lambda) => {
    const score = accuracy((await fitLogistic(input, input.train, lambda)).logits, input.classes, input.val, input.labels);
    input.onFit?.(++fits, lambda, score);
    return score;
  });
  const { logits, weights } = await fitLogistic(input, [...input.train, ...input.val], sweep.best);
  return { lambda: sweep.best, valAccuracy: sweep.bestScore, sweep: sweep.tried, logits, weights, backend };
}
