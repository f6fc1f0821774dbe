import type { VideoBody } from '../../src/server/schemas.js';
import { getJson, videoStream } from './api.js';
import { byId, clock, h, shortPath } from './dom.js';

/** What the player is asked to show: a video, and the span of the hit to start at and highlight. */
export interface PlayRequest {
  video: string;
  start: number;
  end: number;
  /** The segments of the hit (highlighted on the timeline). */
  segments: string[];
}

/**
 * The player: the video from the start of the hit, and under it a timeline of the video's segments
 * with the hit's span highlighted. Clicking a segment (or pressing Enter on it) seeks to it.
 */
export async function play(request: PlayRequest): Promise<void> {
  const panel = byId<HTMLElement>('player');
  const info = await getJson<VideoBody>(`/api/videos/${encodeURIComponent(request.video)}`);
  const video = h('video', { id: 'player-video', controls: true, preload: 'auto', src: videoStream(info.id) });
  video.addEventListener('loadedmetadata', () => {
    video.currentTime = request.start;
  }, { once: true });
  const hit = new Set(request.segments);
  const duration = info.duration || Math.max(...info.segmentList.map((s) => s.end), 1);
  const cursor = h('div', { class: 'cursor', 'aria-hidden': 'true' });
  const timeline = h('div', { class: 'timeline', role: 'list', 'aria-label': 'segments of this video' },
    ...info.segmentList.map((s) => h('button', {
      class: hit.has(s.id) ? 'seg hit' : 'seg',
      style: `left:${(100 * s.start) / duration}%;width:${(100 * (s.end - s.start)) / duration}%`,
      title: `${clock(s.start)}–${clock(s.end)}`,
      'aria-label': `segment ${s.idx + 1}, ${clock(s.start)} to ${clock(s.end)}${hit.has(s.id) ? ', matched' : ''}`,
      'data-segment': s.id,
      onclick: () => {
        video.currentTime = s.start;
        void video.play().catch(() => undefined);
      },
    })),
    cursor,
  );
  video.addEventListener('timeupdate', () => {
    cursor.style.left = `${(100 * video.currentTime) / duration}%`;
  });
  panel.replaceChildren(
    h('h2', {}, shortPath(info.path)),
    h('p', { class: 'meta' }, `${info.domain ? `[${info.domain}] ` : ''}match ${clock(request.start)}–${clock(request.end)} of ${clock(duration)} · ${info.width}×${info.height} ${info.codec}`),
    video,
    timeline,
  );
  panel.hidden = false;
  panel.scrollIntoView({ block: 'nearest' });
}
