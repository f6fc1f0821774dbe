import { describe, expect, it } from 'vitest';
import { groupByVideo } from '../../src/search/group.js';
import type { SearchResult } from '../../src/search/search.js';

const hit = (rank: number, video: string, start: number, end: number, score = 1 - rank / 100): SearchResult => ({
  rank, score, video: { id: video, path: `/v/${video}.mp4`, domain: '' }, segment: `${video}:${start}`, start, end,
});

describe('groupByVideo', () => {
  it('groups per video in the order of each video’s best hit', () => {
    const groups = groupByVideo([hit(1, 'b', 0, 4), hit(2, 'a', 8, 12), hit(3, 'b', 20, 24)]);
    expect(groups.map((g) => g.video.id)).toEqual(['b', 'a']);
    expect(groups[0].results.map((r) => r.rank)).toEqual([1, 3]);
  });

  it('merges touching and overlapping spans, keeping the best rank, score and segment', () => {
    const [g] = groupByVideo([hit(4, 'a', 4, 8), hit(1, 'a', 8, 12), hit(6, 'a', 10, 14), hit(2, 'a', 30, 34)]);
    expect(g.results).toEqual([
      { rank: 1, score: 0.99, start: 4, end: 14, segment: 'a:8', segments: ['a:4', 'a:8', 'a:10'] },
      { rank: 2, score: 0.98, start: 30, end: 34, segment: 'a:30', segments: ['a:30'] },
    ]);
  });

  it('does not merge spans with a gap, however small', () => {
    const [g] = groupByVideo([hit(1, 'a', 0, 4), hit(2, 'a', 4.01, 8)]);
    expect(g.results).toHaveLength(2);
  });

  it('merges window edges that differ only by floating-point error', () => {
    const [g] = groupByVideo([hit(1, 'a', 0, 0.1 + 0.2), hit(2, 'a', 0.3, 0.6)]);
    expect(g.results).toHaveLength(1);
  });

  it('gives nothing for nothing', () => {
    expect(groupByVideo([])).toEqual([]);
  });
});
