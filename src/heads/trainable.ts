import { initialWeights, type HeadSpec, type HeadWeights } from './spec.js';
import { headVariables, snapshotVariables, type tf } from './tf.js';

/**
 * A head's tensors as trainable variables, initialised from its spec (or loaded from saved weights):
 * what every trained network shares — the variables an optimizer updates, the weight matrices decoupled
 * weight decay applies to (biases, LayerNorm, positions and queries are left alone), a snapshot, disposal.
 */
export class TrainableHead {
  readonly vars: Record<string, tf.Variable>;

  constructor(
    private readonly spec: HeadSpec,
    seed: number,
    saved?: HeadWeights,
  ) {
    this.vars = headVariables(spec, saved ?? initialWeights(spec, seed));
  }

  get variables(): tf.Variable[] {
    return Object.values(this.vars);
  }

  get decayed(): tf.Variable[] {
    return this.spec.filter((t) => t.decay).map((t) => this.vars[t.name]);
  }

  snapshot(): HeadWeights {
    return snapshotVariables(this.vars);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
