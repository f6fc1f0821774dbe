import type { Catalog } from './catalog.js';
import type { SegmentRow, VideoRow } from './schema.js';

/**
 * Buffers segment rows and commits them to LanceDB in chunks. A video row is written only after
 * all of its segments are committed, so an interrupted run leaves whole commits and at worst some
 * orphan segments, which a later sweep removes (`indexing/commit.ts`).
 */
export class SegmentWriter {
  private segments: SegmentRow[] = [];
  private videos: VideoRow[] = [];
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly catalog: Catalog,
    private readonly chunkSize = 512,
  ) {}

  /** Queues a segment; starts a commit in the background when a chunk is full. */
  add(row: SegmentRow): Promise<void> {
    this.segments.push(row);
    return this.segments.length >= this.chunkSize ? this.commit() : Promise.resolve();
  }

  /** Marks a video as fully indexed once the segments queued so far are committed. */
  complete(video: VideoRow): void {
    this.videos.push(video);
  }

  /** Forgets the queued segments of a video that failed part-way; its committed ones become orphans. */
  discard(videoId: string): void {
    this.segments = this.segments.filter((s) => s.video_id !== videoId);
  }

  /**
   * Starts committing what is queued and returns once the *previous* commit is done: one commit
   * runs behind the caller (overlapping storage with decoding and embedding) and memory stays
   * bounded. Commits are chained, so the store sees them in order; a failure surfaces on the next
   * call or on `flush()`.
   */
  commit(): Promise<void> {
    const segments = this.segments;
    const videos = this.videos;
    this.segments = [];
    this.videos = [];
    const previous = this.pending;
    const current = previous.then(async () => {
      await this.catalog.segments.add(segments);
      await this.catalog.videos.upsert(videos);
    });
    current.catch(() => undefined);
    this.pending = current;
    return previous;
  }

  /** Commits everything still queued and waits for it. */
  async flush(): Promise<void> {
    void this.commit();
    await this.pending;
  }
}
