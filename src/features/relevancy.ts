import { usageError } from '../core/errors.js';
import type { Matrix } from '../util/matrix.js';
import { readNpy } from '../util/npy.js';

/**
 * Soft relevance for the user's JSONL (clips × captions): a caption is fully relevant (1) to its own
 * clip; to another clip its relevance is the Jaccard overlap |L_i ∩ L_j| / |L_i ∪ L_j| of the two
 * clips' label sets (0 when either has no labels). Identical label sets therefore count as relevant
 * (1), like EK100's relevancy when verb and nouns agree. Without labels this is the binary
 * one-caption-one-clip relevance, and mAP reduces to ordinary mean average precision.
 */
export function labelRelevance(clips: Array<{ labels: string[] }>, captionClip: number[]): Matrix {
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

/**
 * A relevancy matrix (clips × captions) from `--relevancy FILE.npy`, refused unless it has one row
 * per clip, one column per caption and every value in [0, 1].
 */
export async function loadRelevancy(path: string, clips: number, captions: number): Promise<Matrix> {
  return validRelevancy(await readNpy(path), clips, captions, `--relevancy ${path}`);
}

/** `rel` if it fits `clips × captions` with values in [0, 1]; else a usage error naming `what`. */
export function validRelevancy(rel: Matrix, clips: number, captions: number, what: string): Matrix {
  if (rel.rows !== clips || rel.cols !== captions) throw usageError(`${what}: shape ${rel.rows}×${rel.cols} does not match ${clips} clips × ${captions} captions`);
  const outside = rel.data.findIndex((r) => !(r >= 0 && r <= 1));
  if (outside >= 0) throw usageError(`${what}: value ${rel.data[outside]} at row ${Math.floor(outside / rel.cols)}, column ${outside % rel.cols} is outside [0, 1]`);
  return rel;
}
