/** How segments are cut from a video and how many frames each one samples. */
export interface SamplingOptions {
  /** Segment length in seconds. */
  window: number;
  /** Seconds between segment starts (equal to `window` for back-to-back segments). */
  stride: number;
  /** Frames sampled uniformly inside each segment. */
  frames: number;
}

export interface PlannedSegment {
  index: number;
  start: number;
  end: number;
  /** Indices into `SamplePlan.times`, one per sampled frame, in time order. */
  frameRefs: number[];
}

export interface SamplePlan {
  segments: PlannedSegment[];
  /** Unique sample times in seconds, ascending; overlapping windows share entries. */
  times: number[];
}

/** A trailing remainder shorter than this is folded into nothing rather than becoming its own segment. */
const MIN_TAIL_SECONDS = 0.01;

/**
 * Cuts `[0, duration)` into windows of `window` seconds every `stride` seconds, keeping a last
 * partial window, and one segment for a clip shorter than a window. Frame i of a segment sits at
 * the centre of the i-th of `frames` equal sub-intervals, so samples never touch a segment's edges.
 */
export function planSegments(duration: number, options: SamplingOptions): SamplePlan {
  const { window, stride, frames } = options;
  const spans: Array<[number, number]> = [];
  if (duration <= window) {
    spans.push([0, duration]);
  } else {
    for (let start = 0; start < duration - MIN_TAIL_SECONDS; start += stride) {
      const end = Math.min(start + window, duration);
      spans.push([start, end]);
      if (end >= duration) break;
    }
  }

  const times: number[] = [];
  const timeIndex = new Map<string, number>();
  const segments = spans.map(([start, end], index) => {
    const step = (end - start) / frames;
    const frameRefs: number[] = [];
    for (let i = 0; i < frames; i++) {
      const t = start + (i + 0.5) * step;
      const key = t.toFixed(6);
      let ref = timeIndex.get(key);
      if (ref === undefined) {
        ref = times.length;
        times.push(t);
        timeIndex.set(key, ref);
      }
      frameRefs.push(ref);
    }
    return { index, start, end, frameRefs };
  });

  const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b]);
  const rank = new Array<number>(times.length);
  order.forEach((oldIndex, newIndex) => (rank[oldIndex] = newIndex));
  return {
    segments: segments.map((s) => ({ ...s, frameRefs: s.frameRefs.map((r) => rank[r]) })),
    times: order.map((i) => times[i]),
  };
}
