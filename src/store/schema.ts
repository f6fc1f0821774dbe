import { Field, FixedSizeList, Float32, Float64, Int32, Schema, Utf8 } from 'apache-arrow';

/** The table of segments (and its vector index). */
export const SEGMENTS = 'segments';

/** One indexed video. `id` is content-derived, so moving a file keeps its id. */
export interface VideoRow {
  id: string;
  path: string;
  size: number;
  mtime: number;
  duration: number;
  fps: number;
  width: number;
  height: number;
  rotation: number;
  codec: string;
  domain: string;
  segments: number;
  indexed_at: string;
}

/** One time span of a video with its pooled vector and the per-frame vectors it was pooled from. */
export interface SegmentRow {
  id: string;
  video_id: string;
  idx: number;
  start: number;
  end: number;
  domain: string;
  model: string;
  vector: Float32Array;
  /** `frames × dim` values, frame-major: what readouts and temporal heads train on. */
  frame_vectors: Float32Array;
  frame_times: Float32Array;
}

const vector = (size: number) => new FixedSizeList(size, new Field('item', new Float32(), true));

export function videoSchema(): Schema {
  return new Schema([
    new Field('id', new Utf8(), false),
    new Field('path', new Utf8(), false),
    new Field('size', new Float64(), false),
    new Field('mtime', new Float64(), false),
    new Field('duration', new Float64(), false),
    new Field('fps', new Float64(), false),
    new Field('width', new Int32(), false),
    new Field('height', new Int32(), false),
    new Field('rotation', new Int32(), false),
    new Field('codec', new Utf8(), false),
    new Field('domain', new Utf8(), false),
    new Field('segments', new Int32(), false),
    new Field('indexed_at', new Utf8(), false),
  ]);
}

/** A segment's span columns: what every table searched like `segments` has (filters and results read them). */
const spanFields = () => [
  new Field('id', new Utf8(), false),
  new Field('video_id', new Utf8(), false),
  new Field('idx', new Int32(), false),
  new Field('start', new Float64(), false),
  new Field('end', new Float64(), false),
  new Field('domain', new Utf8(), false),
  new Field('model', new Utf8(), false),
];

/** `metadata` (e.g. the index's identity, `TABLE_MANIFEST_KEY`) is stored with the table. */
export function segmentSchema(dim: number, frames: number, metadata: Map<string, string> = new Map()): Schema {
  return new Schema([
    ...spanFields(),
    new Field('vector', vector(dim), false),
    new Field('frame_vectors', vector(dim * frames), false),
    new Field('frame_times', vector(frames), false),
  ], metadata);
}

/** An adapter's copy of the segments (`store/adapted.ts`): the spans, the video stamp they were adapted at, the adapted vector. */
export function adaptedSchema(dim: number): Schema {
  return new Schema([...spanFields(), new Field('stamp', new Utf8(), false), new Field('vector', vector(dim), false)]);
}

/** Quotes a string for a LanceDB SQL filter. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
