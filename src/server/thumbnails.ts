import { jpegFrame } from '../media/thumbnail.js';

/** The longest side of a segment thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 320;

/**
 * Segment thumbnails (the frame at the middle of the span), made with ffmpeg on first request and
 * kept in memory, the oldest dropped first past `capacity`. Concurrent requests for one segment
 * share one ffmpeg run.
 */
export class Thumbnails {
  private readonly cache = new Map<string, Promise<Buffer | undefined>>();

  constructor(private readonly capacity = 2000) {}

  get(segmentId: string, path: string, start: number, end: number): Promise<Buffer | undefined> {
    const cached = this.cache.get(segmentId);
    if (cached) return cached;
    const made = jpegFrame(path, (start + end) / 2, THUMBNAIL_SIZE);
    this.cache.set(segmentId, made);
    // A failure is not remembered: the file may be readable again later.
    made.then((jpeg) => jpeg ?? this.cache.delete(segmentId), () => this.cache.delete(segmentId));
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return made;
  }
}
