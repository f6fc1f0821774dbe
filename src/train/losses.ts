import { tf } from '../heads/tf.js';

/**
 * Symmetric InfoNCE (REFERENCES §6): `½[CE(S/τ, diag) + CE(Sᵀ/τ, diag)]` over a batch whose
 * matching pairs are on the diagonal of the cosine matrix `sim` (texts × videos).
 */
export function infoNce(sim: tf.Tensor2D, temperature = 0.05): tf.Scalar {
  return tf.tidy(() => {
    const n = sim.shape[0];
    const labels = tf.oneHot(tf.range(0, n, 1, 'int32'), n);
    const logits = sim.div(temperature);
    const a = tf.losses.softmaxCrossEntropy(labels, logits);
    const b = tf.losses.softmaxCrossEntropy(labels, logits.transpose());
    return a.add(b).div(2) as tf.Scalar;
  });
}

/**
 * Angular-margin contrastive loss (MAMA): InfoNCE in which each positive logit `cos θ_ii` becomes
 * `cos(θ_ii + μ)`, symmetric over both directions. μ = 0 is InfoNCE (up to clipping cosines to
 * ±(1 − 1e-6) so that acos stays differentiable).
 */
export function angularMarginNce(sim: tf.Tensor2D, margin = 0.2, temperature = 0.05): tf.Scalar {
  return tf.tidy(() => {
    const n = sim.shape[0];
    const eye = tf.eye(n);
    const theta = tf.acos(sim.clipByValue(-1 + 1e-6, 1 - 1e-6));
    const marginal = tf.cos(theta.add(margin));
    const adjusted = sim.mul(tf.scalar(1).sub(eye)).add(marginal.mul(eye)) as tf.Tensor2D;
    return infoNce(adjusted, temperature);
  });
}

/**
 * The angular-margin loss of each pair of the batch: ½(CE of row i + CE of column i) with the margin
 * on the positive logit. Its mean is `angularMarginNce`; meta-reweighting weights its entries.
 */
export function angularMarginPerSample(sim: tf.Tensor2D, margin = 0.2, temperature = 0.05): tf.Tensor1D {
  return tf.tidy(() => {
    const n = sim.shape[0];
    const eye = tf.eye(n);
    const theta = tf.acos(sim.clipByValue(-1 + 1e-6, 1 - 1e-6));
    const logits = sim.mul(tf.scalar(1).sub(eye)).add(tf.cos(theta.add(margin)).mul(eye)).div(temperature);
    const diag = logits.mul(eye).sum(1);
    const rows = tf.logSumExp(logits, 1).sub(diag);
    const cols = tf.logSumExp(logits, 0).sub(diag);
    return rows.add(cols).div(2) as tf.Tensor1D;
  });
}

export interface SmsOptions {
  gamma?: number;
  tau?: number;
  epsilon?: number;
}

/**
 * Symmetric Multi-Similarity loss (ContextRefine-CLIP / EK100 MIR): for every pair (i, j ≠ i) in
 * both directions, `Δ = R_ii − R_ij`, `m = γΔ − (S_ii − S_ij)`; the term is `ReLU(m)` if Δ > ε,
 * `ReLU(|m| − τ)` if |Δ| ≤ ε, `ReLU(−m)` if Δ < −ε; the loss is the mean of all terms.
 * `sim` is videos × texts (cosines), `rel` the relevancy of video i to text j.
 */
export function smsLoss(sim: tf.Tensor2D, rel: tf.Tensor2D, options: SmsOptions = {}): tf.Scalar {
  const gamma = options.gamma ?? 0.6;
  const tau = options.tau ?? 0.1;
  const eps = options.epsilon ?? 1.1 / 240;
  return tf.tidy(() => {
    const n = sim.shape[0];
    const offDiagonal = tf.scalar(1).sub(tf.eye(n));
    const direction = (s: tf.Tensor2D, r: tf.Tensor2D) => {
      const sDiag = s.mul(tf.eye(n)).sum(1, true);
      const rDiag = r.mul(tf.eye(n)).sum(1, true);
      const delta = rDiag.sub(r);
      const m = delta.mul(gamma).sub(sDiag.sub(s));
      const pos = delta.greater(eps).toFloat();
      const neg = delta.less(-eps).toFloat();
      const tie = tf.scalar(1).sub(pos).sub(neg);
      const terms = pos.mul(m.relu()).add(tie.mul(m.abs().sub(tau).relu())).add(neg.mul(m.neg().relu()));
      return terms.mul(offDiagonal).sum();
    };
    const total = direction(sim, rel).add(direction(sim.transpose(), rel.transpose()));
    return total.div(2 * n * (n - 1)) as tf.Scalar;
  });
}
