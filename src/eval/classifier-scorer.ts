import { usageError } from '../core/errors.js';
import { loadClassifier, classifierLogits } from '../heads/readout/classifier.js';
import type { ClipScorer } from './run-classify.js';

/**
 * A saved classifier as `eval classify --adapter DIR` uses it. A single-label classifier (softmax) is
 * refused for `--multi-label` and a multi-label one (per-class sigmoid) without it.
 */
export async function classifierScorer(dir: string, options: { multiLabel: boolean }): Promise<ClipScorer> {
  const saved = await loadClassifier(dir);
  const { meta } = saved;
  const multiLabel = meta.multiLabel ?? false;
  if (multiLabel !== options.multiLabel) {
    throw usageError(multiLabel
      ? `--adapter ${dir}: a multi-label classifier (per-class sigmoid, from 'train readout --multi-label'); evaluate it with --multi-label`
      : `--adapter ${dir}: a single-label classifier (softmax); for --multi-label train one with 'vidlens train readout --multi-label'`);
  }
  return {
    flag: '--adapter',
    dir,
    model: meta.model,
    dataset: meta.dataset,
    labelPrefix: meta.labelPrefix,
    classes: meta.classes,
    describe: { kind: 'classifier', head: meta.head, multiLabel, trained: meta.created, dataset: meta.dataset, validation: meta.validation, config: meta.config },
    logits: (features) => classifierLogits(saved, features),
  };
}
