import type { SamplePlan } from '../media/plan.js';
import { meanPool } from '../models/vectors.js';
import type { SegmentRow } from '../store/schema.js';

/**
 * Collects per-frame embeddings of one video as they arrive (in any batch order) and releases each
 * segment as soon as all its frames are embedded, mean-pooled; frames no later segment needs are freed.
 */
export class SegmentAssembler {
  private readonly frames = new Map<number, Float32Array>();
  private next = 0;

  constructor(
    private readonly videoId: string,
    private readonly plan: SamplePlan,
    private readonly dim: number,
    private readonly domain: string,
    private readonly model: string,
  ) {}

  get complete(): boolean {
    return this.next >= this.plan.segments.length;
  }

  receive(timeIndex: number, vector: Float32Array): SegmentRow[] {
    this.frames.set(timeIndex, vector);
    const ready: SegmentRow[] = [];
    while (!this.complete) {
      const segment = this.plan.segments[this.next];
      const vectors = segment.frameRefs.map((ref) => this.frames.get(ref));
      if (vectors.some((v) => v === undefined)) break;
      const frameVectors = vectors as Float32Array[];
      const flat = new Float32Array(frameVectors.length * this.dim);
      frameVectors.forEach((v, i) => flat.set(v, i * this.dim));
      ready.push({
        id: `${this.videoId}:${segment.index}`,
        video_id: this.videoId,
        idx: segment.index,
        start: segment.start,
        end: segment.end,
        domain: this.domain,
        model: this.model,
        vector: meanPool(frameVectors, this.dim),
        frame_vectors: flat,
        frame_times: Float32Array.from(segment.frameRefs.map((ref) => this.plan.times[ref])),
      });
      this.next++;
      const stillNeeded = this.complete ? Infinity : Math.min(...this.plan.segments[this.next].frameRefs);
      for (const key of this.frames.keys()) if (key < stillNeeded) this.frames.delete(key);
    }
    return ready;
  }
}
