import { loadClassifier, classifierLogits } from '../heads/readout/classifier.js';
import type { ClipScorer } from './run-classify.js';

/** A saved classifier as `eval classify --adapter DIR` uses it. */
export async function classifierScorer(dir: string): Promise<ClipScorer> {
  const saved = await loadClassifier(dir);
  const { meta } = saved;
  return {
    flag: '--adapter',
    dir,
    model: meta.model,
    dataset: meta.dataset,
    labelPrefix: meta.labelPrefix,
    classes: meta.classes,
    describe: { kind: 'classifier', head: meta.head, trained: meta.created, dataset: meta.dataset, validation: meta.validation, config: meta.config },
    logits: (features) => classifierLogits(saved, features),
  };
}
