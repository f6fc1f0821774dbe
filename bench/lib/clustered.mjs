// A large index of clustered synthetic 512-d vectors (like real embeddings: near neighbours exist),
// written through the store, with one `videos` row per 1,000 segments so that the product's search
// paths (which leave out segments of videos without a row) see every segment. Shared by bench:search
// and bench:adapted-search.
import { Catalog, Rng } from '../../dist/index.js';

export const DIM = 512;
const CLUSTERS = 2000;
const DOMAINS = ['lab', 'factory', 'night', 'helmet'];
const PER_VIDEO = 1000;

function unit(v) {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

/**
 * A seeded sampler of points near random centres (noise of norm ≈ 0.4: cosine ≈ 0.93 to the centre). The
 * centres come from `seed`, the points from `stream`: queries are drawn from another stream than the
 * stored segments, so that a run on an index kept from an earlier run (VIDLENS_BENCH_DIR) searches for new
 * points, not for stored ones.
 */
export function clusteredSampler(stream = 0, seed = 5, spread = 0.0175) {
  const centreRng = new Rng(seed);
  const centres = Array.from({ length: CLUSTERS }, () => unit(Float32Array.from({ length: DIM }, () => centreRng.normal())));
  const rng = stream === 0 ? centreRng : new Rng(seed + 1000 * stream);
  return () => unit(Float32Array.from(centres[rng.int(CLUSTERS)], (x) => x + spread * rng.normal()));
}

/**
 * Text-like queries: cosine ≈ 0.3 to a cluster centre, the way a caption's CLIP embedding sits to its
 * images' (the modality gap), so far from every stored point; an index tuned only on queries drawn
 * like the stored points (cosine ≈ 0.93) can lose most of its recall on these.
 */
export const crossModalSampler = (stream = 2, seed = 5) => clusteredSampler(stream, seed, 0.14);

/** Creates the index at `db` with `n` segments drawn from `sample`. */
export async function buildClustered(db, n, sample) {
  const catalog = await Catalog.open(db, { create: true });
  await catalog.initialise({
    vidlens: 'bench', created: new Date().toISOString(),
    model: { id: 'bench:clustered-512', source: 'bench', sha256: '0'.repeat(64), dim: DIM, family: 'clip', frame: { size: 224, crop: true } },
    weights: [], sampling: { window: 4, stride: 4, frames: 1 }, tta: 'none', ann: null,
  });
  const chunk = 20_000;
  for (let start = 0; start < n; start += chunk) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + chunk); i++) {
      const v = sample();
      const video = `v${Math.floor(i / PER_VIDEO)}`;
      rows.push({ id: `${video}:${i % PER_VIDEO}`, video_id: video, idx: i % PER_VIDEO, start: 4 * (i % PER_VIDEO), end: 4 * (i % PER_VIDEO) + 4, domain: DOMAINS[Math.floor(i / PER_VIDEO) % 4], model: 'bench', vector: v, frame_vectors: v, frame_times: Float32Array.of(2) });
    }
    await catalog.segments.add(rows);
  }
  const videos = Array.from({ length: Math.ceil(n / PER_VIDEO) }, (_, k) => ({
    id: `v${k}`, path: `/bench/v${k}.mp4`, size: 1, mtime: 0, duration: 4 * PER_VIDEO, fps: 1, width: 1, height: 1, rotation: 0, codec: 'bench',
    domain: DOMAINS[k % 4], segments: Math.min(PER_VIDEO, n - k * PER_VIDEO), indexed_at: new Date(0).toISOString(),
  }));
  await catalog.videos.upsert(videos);
  return catalog;
}

export const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

/** recall@k of approximate id lists against exact ones. */
export const recall = (approx, exact) => approx.reduce((s, r, i) => s + r.filter((id) => exact[i].includes(id)).length / exact[i].length, 0) / approx.length;
