import { Rng } from '../util/random.js';
import { angularMarginPerSample } from './losses.js';
import { matMul, tf, variableFrom } from '../heads/tf.js';

/** Parameters of the two retrieval heads (W as in × out, b). */
export interface HeadVars {
  tw: tf.Variable;
  tb: tf.Variable;
  vw: tf.Variable;
  vb: tf.Variable;
}

/**
 * The weighting network of MAMA's meta-reweighting: `w = σ(MLP(ℓ))`, one hidden layer, mapping a
 * sample's loss to a weight in (0, 1).
 */
export class WeightNet {
  readonly w1: tf.Variable;
  readonly b1: tf.Variable;
  readonly w2: tf.Variable;
  readonly b2: tf.Variable;

  constructor(hidden: number, seed: number) {
    const rng = new Rng(seed);
    const init = (shape: number[], std: number) => variableFrom(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * std), shape);
    this.w1 = init([1, hidden], 1);
    this.b1 = variableFrom(new Float32Array(hidden), [hidden]);
    this.w2 = init([hidden, 1], 1 / Math.sqrt(hidden));
    this.b2 = variableFrom(new Float32Array(1), [1]);
  }

  get variables(): tf.Variable[] {
    return [this.w1, this.b1, this.w2, this.b2];
  }

  /** Weights for a vector of losses (treated as inputs: no gradient flows into the losses). */
  weights(losses: tf.Tensor1D): tf.Tensor1D {
    return tf.tidy(() => {
      const x = tf.tensor2d(losses.dataSync(), [losses.shape[0], 1]); // a copy: no gradient flows into the losses
      const h = matMul(x, this.w1 as unknown as tf.Tensor2D).add(this.b1).relu() as tf.Tensor2D;
      return tf.sigmoid(matMul(h, this.w2 as unknown as tf.Tensor2D).add(this.b2)).reshape([-1]) as tf.Tensor1D;
    });
  }

  /** The learned curve w(ℓ) on a grid, for the report. */
  curve(maxLoss: number, points = 11): Array<{ loss: number; weight: number }> {
    const losses = Array.from({ length: points }, (_, i) => (maxLoss * i) / (points - 1));
    const w = tf.tidy(() => this.weights(tf.tensor1d(losses)).dataSync().slice());
    return losses.map((loss, i) => ({ loss, weight: w[i] }));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

export interface Batch {
  text: tf.Tensor2D;
  video: tf.Tensor2D;
}

type Params = { tw: tf.Tensor; tb: tf.Tensor; vw: tf.Tensor; vb: tf.Tensor };

/** Per-sample angular-margin losses of a batch under the given head parameters. */
export function perSampleLoss(p: Params, batch: Batch, margin: number, temperature: number): tf.Tensor1D {
  return tf.tidy(() => {
    const project = (x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor) => {
      const y = matMul(x, w as tf.Tensor2D).add(b);
      return y.div(y.norm('euclidean', 1, true).add(1e-12)) as tf.Tensor2D;
    };
    const t = project(batch.text, p.tw, p.tb);
    const v = project(batch.video, p.vw, p.vb);
    return angularMarginPerSample(matMul(t, v.transpose()), margin, temperature);
  });
}

const NAMES = ['tw', 'tb', 'vw', 'vb'] as const;

/**
 * One meta-reweighting step (MAMA, REFERENCES §6): (1) weighted loss on the training batch and one
 * virtual SGD step θ' = θ − α∇θ Σ wᵢℓᵢ/B; (2) the loss of θ' on a clean meta batch; (3) φ updated by
 * its gradient, dL_meta/dwᵢ = −(α/B)·∇θL_meta(θ')·∇θℓᵢ(θ), the Hessian-free product taken as a central
 * finite difference of ℓᵢ along ∇θL_meta(θ') (exact to O(ε²)); (4) weights recomputed with the new φ,
 * returned for the model's real update. Returns the weights and the meta loss.
 */
export function metaStep(
  heads: HeadVars,
  net: WeightNet,
  metaOptimizer: tf.Optimizer,
  train: Batch,
  meta: Batch,
  o: { alpha: number; margin: number; temperature: number },
): { weights: tf.Tensor1D; metaLoss: number; metaGradient: Float32Array } {
  const theta: Params = { tw: heads.tw, tb: heads.tb, vw: heads.vw, vb: heads.vb };
  const n = train.text.shape[0];
  const { directional, metaLoss } = tf.tidy(() => {
    const losses = perSampleLoss(theta, train, o.margin, o.temperature);
    const w = net.weights(losses);
    // (1) virtual step with the current weights.
    const weighted = (p: Params) => perSampleLoss(p, train, o.margin, o.temperature).mul(w).mean() as tf.Scalar;
    const grads = tf.grads((tw, tb, vw, vb) => weighted({ tw, tb, vw, vb }))([theta.tw, theta.tb, theta.vw, theta.vb]);
    const virtual: Params = { tw: theta.tw.sub(grads[0].mul(o.alpha)), tb: theta.tb.sub(grads[1].mul(o.alpha)), vw: theta.vw.sub(grads[2].mul(o.alpha)), vb: theta.vb.sub(grads[3].mul(o.alpha)) };
    // (2) clean meta loss at θ' and its gradient v = ∇θ L_meta(θ').
    const metaLossAt = (p: Params) => perSampleLoss(p, meta, o.margin, o.temperature).mean() as tf.Scalar;
    const { value, grads: v } = tf.valueAndGrads((tw, tb, vw, vb) => metaLossAt({ tw, tb, vw, vb }))([virtual.tw, virtual.tb, virtual.vw, virtual.vb]);
    // (3) v·∇θℓᵢ(θ) for every i by a central difference of the per-sample losses along v.
    const norm = Math.sqrt(v.reduce((s, g) => s + g.square().sum().dataSync()[0], 0));
    const eps = 1e-2 / Math.max(norm, 1e-12);
    const shifted = (sign: number): Params => {
      const out: Record<string, tf.Tensor> = {};
      NAMES.forEach((k, i) => (out[k] = theta[k].add(v[i].mul(sign * eps))));
      return out as Params;
    };
    const plus = perSampleLoss(shifted(1), train, o.margin, o.temperature);
    const minus = perSampleLoss(shifted(-1), train, o.margin, o.temperature);
    return { directional: plus.sub(minus).div(2 * eps), metaLoss: value.dataSync()[0] };
  });
  // dL_meta/dwᵢ = −(α/B)·directionalᵢ; push it through w(φ) with φ's own autodiff.
  const coefficient = tf.tidy(() => directional.mul(-o.alpha / n));
  const metaGradient = coefficient.dataSync().slice() as Float32Array;
  metaOptimizer.minimize(() => tf.tidy(() => {
    const losses = perSampleLoss(theta, train, o.margin, o.temperature);
    return net.weights(losses).mul(coefficient).sum() as tf.Scalar;
  }), false, net.variables);
  directional.dispose();
  coefficient.dispose();
  // (4) weights from the updated φ.
  const weights = tf.tidy(() => net.weights(perSampleLoss(theta, train, o.margin, o.temperature)));
  return { weights, metaLoss, metaGradient };
}
