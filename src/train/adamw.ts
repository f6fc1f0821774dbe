import { tf } from '../heads/tf.js';

/**
 * AdamW (decoupled weight decay, Loshchilov & Hutter) on top of tfjs's Adam, with a learning rate
 * that warms up linearly over the first 5 % of steps and then follows a cosine to zero.
 * Each step: θ ← θ − η_t (Adam update) − η_t λ θ_{t−1}, the decay taken on the pre-step weights of
 * `decayed` only (tfjs has no AdamW).
 */
export class AdamW {
  private readonly adam: tf.AdamOptimizer;
  private readonly warmup: number;
  private t = 0;

  constructor(
    private readonly lr: number,
    private readonly weightDecay: number,
    private readonly totalSteps: number,
  ) {
    this.adam = tf.train.adam(lr);
    this.warmup = Math.max(1, Math.round(totalSteps * 0.05));
  }

  /** The learning rate of step `t` (1-based). */
  rate(t: number): number {
    if (t <= this.warmup) return (this.lr * t) / this.warmup;
    const progress = Math.min(1, (t - this.warmup) / Math.max(1, this.totalSteps - this.warmup));
    return this.lr * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  /** One update; returns the loss before it. */
  step(loss: () => tf.Scalar, variables: tf.Variable[], decayed: tf.Variable[]): number {
    const eta = this.rate(++this.t);
    // tfjs optimisers read `learningRate` on every update.
    (this.adam as unknown as { learningRate: number }).learningRate = eta;
    const decay = decayed.map((v) => tf.keep(v.mul(eta * this.weightDecay)));
    const cost = this.adam.minimize(loss, true, variables)!;
    decayed.forEach((v, i) => {
      tf.tidy(() => v.assign(v.sub(decay[i])));
      decay[i].dispose();
    });
    const value = cost.dataSync()[0];
    cost.dispose();
    return value;
  }

  dispose(): void {
    this.adam.dispose();
  }
}
