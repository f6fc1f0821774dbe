import type { Clip } from './datasets/clips.js';
import type { Matrix } from './metrics/matrix.js';

/**
 * Soft relevance for the user's JSONL (clips × captions): a caption is fully relevant (1) to its own
 * clip; to another clip its relevance is the Jaccard overlap |L_i ∩ L_j| / |L_i ∪ L_j| of the two
 * clips' label sets (0 when either has no labels). Identical label sets therefore count as relevant
 * (1), like EK100's relevancy when verb and nouns agree. Without labels this is the binary
 * one-caption-one-clip relevance, and mAP reduces to ordinary mean average precision.
 */
export function labelRelevance(clips: Clip[], captionClip: number[]): Matrix {
  const sets = clips.map((c) => new Set(c.labels));
  const cols = captionClip.length;
  const out = new Float32Array(clips.length * cols);
  for (let i = 0; i < clips.length; i++) {
    for (let j = 0; j < cols; j++) {
      const own = captionClip[j];
      if (own === i) {
        out[i * cols + j] = 1;
        continue;
      }
      const a = sets[i];
      const b = sets[own];
      if (a.size === 0 || b.size === 0) continue;
      let inter = 0;
      for (const l of a) if (b.has(l)) inter++;
      out[i * cols + j] = inter / (a.size + b.size - inter);
    }
  }
  return { data: out, rows: clips.length, cols };
}
