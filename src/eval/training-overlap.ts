import type { TrainedOnDataset } from '../heads/trained-on.js';
import { clipKey, type Clip } from './datasets/clips.js';

/**
 * A warning when an evaluation scores a trained head (`--adapter`, `--reranker`) on clips it was
 * trained on: such scores say how well it fits, not how well it generalises. Heads that record their
 * training clips are checked clip by clip; older ones only by the dataset file they came from.
 */
export function trainingOverlapWarning(flag: string, dir: string, trained: TrainedOnDataset, clips: Clip[], datasetSha256: string): string | undefined {
  const advice = 'these scores are optimistic; evaluate on clips it never saw (e.g. --split test)';
  if (!trained.trainClips) {
    if (trained.sha256 !== datasetSha256) return undefined;
    return `${flag} ${dir} was trained on this dataset file (it does not record which clips); unless the evaluated clips were held out, ${advice}`;
  }
  const seen = new Set(trained.trainClips);
  const overlap = clips.filter((c) => seen.has(clipKey(c))).length;
  if (overlap === 0) return undefined;
  return `${flag} ${dir}: ${overlap} of the ${clips.length} evaluated clips were used to train it; ${advice}`;
}
