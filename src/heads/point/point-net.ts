import type { HeadSpec, HeadWeights } from '../spec.js';
import { batchMatMul, matMul, tf } from '../tf.js';
import { TrainableHead } from '../trainable.js';
import { FOURIER_WIDTH, fourier, patchCentres } from './geometry.js';

/**
 * The point readout's tensors. `wf`, `wa`: the query token from a point's Fourier features and its
 * appearance (the tokens sampled under it); `wk`, `wp`: keys from each patch token and its position;
 * `logScale`: the attention's sharpness; `gain`: how far the attended displacement is taken. A forecaster
 * adds `c` (how each frame's displacement enters each lead step) and `b` (a bias per lead step and component).
 *
 * `wa` and `wk` start as the identity, so the untrained readout is the correlation of standardised tokens
 * (TAP-Net's cost volume) and training refines a matcher instead of finding one from random projections;
 * the tracker's attention starts sharper (e¹), which it needs to tell a still point from the moving one
 * next to it. With random projections and scale 1 the tracker fell below its query-point control on
 * 2 of 3 tracker seeds (docs/readouts.md).
 */
export function pointSpec(width: number, forecast?: { frames: number; leadSteps: number; valueSize: number }): HeadSpec {
  const spec: HeadSpec = [
    { name: 'wf', shape: [FOURIER_WIDTH, width], init: { normal: 1 / Math.sqrt(FOURIER_WIDTH) }, decay: true },
    { name: 'wa', shape: [width, width], init: 'identity', decay: true },
    { name: 'wk', shape: [width, width], init: 'identity', decay: true },
    { name: 'wp', shape: [FOURIER_WIDTH, width], init: { normal: 1 / Math.sqrt(FOURIER_WIDTH) }, decay: true },
    { name: 'logScale', shape: [1], init: forecast ? 'zeros' : { constant: 1 } },
    { name: 'gain', shape: [1], init: 'ones' },
  ];
  if (forecast) spec.push({ name: 'c', shape: [forecast.leadSteps, forecast.frames], init: 'zeros' }, { name: 'b', shape: [forecast.leadSteps * forecast.valueSize], init: 'zeros' });
  return spec;
}

/** A batch the point readout reads: standardised patch tokens and each clip's query points. */
export interface PointBatch {
  /** `[clips, frames, tokens, width]`. */
  tokens: tf.Tensor4D;
  /** Query points `[clips, queries, 2]`, normalised to the frame. */
  points: Float32Array;
  queries: number;
  /** Bilinear weights of each query over the patches of `frame`, `[clips, queries, tokens]`. */
  sampling: Float32Array;
}

/**
 * A correlation readout on dense features (the cost volume of TAP-Net, as cross-attention): a query
 * token made from a point's Fourier embedding and the tokens under it cross-attends over every frame's
 * patch tokens; the attention's soft-argmax over the patch centres gives where the point is in each
 * frame. A tracker predicts `query + gain · (where in the last frame − where in the first)` and a
 * forecaster `last value + Σ_t c[l, t] · (where at t − where at the end) + b[l]`, so both start at their
 * control (query point; persistence) and the attention only has to tell how the point moved.
 */
export class PointNet extends TrainableHead {
  private readonly centres: tf.Tensor2D;
  private readonly centreFeatures: tf.Tensor2D;

  constructor(
    readonly width: number,
    readonly grid: number,
    readonly forecastShape: { frames: number; leadSteps: number; valueSize: number } | undefined,
    seed: number,
    saved?: HeadWeights,
  ) {
    super(pointSpec(width, forecastShape), seed, saved);
    const centres = patchCentres(grid);
    this.centres = tf.tensor2d(centres.flat(), [centres.length, 2]);
    this.centreFeatures = tf.tensor2d(fourier(centres), [centres.length, FOURIER_WIDTH]);
  }


  private m(name: string): tf.Tensor2D {
    return this.vars[name] as unknown as tf.Tensor2D;
  }

  /** Where each query is in each frame: `[clips, queries, frames, 2]`, from the query tokens sampled in `frame`. */
  track(batch: PointBatch, frame: number): tf.Tensor4D {
    const [clips, frames, tokens, width] = batch.tokens.shape;
    const q = batch.queries;
    const points = [];
    for (let i = 0; i < clips * q; i++) points.push([batch.points[2 * i], batch.points[2 * i + 1]] as [number, number]);
    const under = tf.slice(batch.tokens, [0, frame, 0, 0], [clips, 1, tokens, width]).reshape([clips, tokens, width]) as tf.Tensor3D;
    const appearance = batchMatMul(tf.tensor3d(batch.sampling, [clips, q, tokens]), under).reshape([clips * q, width]) as tf.Tensor2D;
    const query = matMul(tf.tensor2d(fourier(points), [clips * q, FOURIER_WIDTH]), this.m('wf')).add(matMul(appearance, this.m('wa'))).reshape([clips, q, width]) as tf.Tensor3D;
    const keys = matMul(batch.tokens.reshape([clips * frames * tokens, width]) as tf.Tensor2D, this.m('wk'))
      .reshape([clips, frames, tokens, width])
      .add(matMul(this.centreFeatures, this.m('wp')))
      .reshape([clips, frames * tokens, width]) as tf.Tensor3D;
    const logits = batchMatMul(query, keys.transpose([0, 2, 1]) as tf.Tensor3D).mul(this.vars.logScale.exp().div(Math.sqrt(width)));
    const attention = tf.softmax(logits.reshape([clips * q * frames, tokens]));
    return matMul(attention as tf.Tensor2D, this.centres).reshape([clips, q, frames, 2]) as tf.Tensor4D;
  }

  /** A tracker's last-frame positions `[clips, queries, 2]`, queries taken in the first frame. */
  trackEnd(batch: PointBatch): tf.Tensor3D {
    return tf.tidy(() => {
      const frames = batch.tokens.shape[1];
      const where = this.track(batch, 0);
      const moved = tf.slice(where, [0, 0, frames - 1, 0], [-1, -1, 1, -1]).sub(tf.slice(where, [0, 0, 0, 0], [-1, -1, 1, -1]));
      const start = tf.tensor3d(batch.points, [batch.tokens.shape[0], batch.queries, 2]);
      return start.add(moved.squeeze([2]).mul(this.vars.gain)) as tf.Tensor3D;
    });
  }

  /** A forecaster's values `[clips, leadSteps · valueSize]` from one query per clip (its last observed position, in the last frame). */
  forecast(batch: PointBatch, last: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const { frames, leadSteps, valueSize } = this.forecastShape!;
      const clips = batch.tokens.shape[0];
      const where = this.track(batch, frames - 1).reshape([clips, frames, 2]);
      const relative = where.sub(tf.slice(where, [0, frames - 1, 0], [-1, 1, -1])) as tf.Tensor3D;
      const c = tf.tile(this.vars.c.reshape([1, leadSteps, frames]), [clips, 1, 1]) as tf.Tensor3D;
      const moved = batchMatMul(c, relative).mul(this.vars.gain).reshape([clips, leadSteps * valueSize]);
      return tf.tile(last, [1, leadSteps]).add(moved).add(this.vars.b) as tf.Tensor2D;
    });
  }

  override dispose(): void {
    super.dispose();
    this.centres.dispose();
    this.centreFeatures.dispose();
  }
}
