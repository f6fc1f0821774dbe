import type { GroupBody } from '../../src/server/schemas.js';
import { segmentThumbnail } from './api.js';
import { clock, h, shortPath } from './dom.js';
import type { PlayRequest } from './player.js';

export interface ResultActions {
  play: (request: PlayRequest) => void;
  similar: (segment: string) => void;
}

/** Result groups, one per video (in the order of each video's best hit), each hit a card. */
export function renderGroups(groups: GroupBody[], actions: ResultActions): HTMLElement {
  if (groups.length === 0) return h('p', { class: 'empty' }, 'No results.');
  return h('ol', { class: 'groups' }, ...groups.map((g) => h('li', { class: 'group' },
    h('h3', {}, h('span', { class: 'path', title: g.video.path }, shortPath(g.video.path)), g.video.domain ? h('span', { class: 'badge' }, g.video.domain) : null, g.missing ? h('span', { class: 'badge missing' }, 'file missing') : null),
    h('ul', { class: 'hits' }, ...g.results.map((r) => {
      const request = { video: g.video.id, start: r.start, end: r.end, segments: r.segments };
      return h('li', { class: 'hit' },
        h('button', { class: 'play', 'data-segment': r.segment, 'data-start': r.start, 'aria-label': `play ${shortPath(g.video.path)} from ${clock(r.start)}`, onclick: () => actions.play(request) },
          h('img', { src: segmentThumbnail(r.segment), alt: '', loading: 'lazy', width: 160, height: 120 }),
          h('span', { class: 'rank' }, `#${r.rank}`),
          h('span', { class: 'span' }, `${clock(r.start)}–${clock(r.end)}`),
          // Five decimals: neighbouring scores often differ only in the fourth.
          h('span', { class: 'score', title: String(r.score) }, r.score.toFixed(5)),
        ),
        h('button', { class: 'similar', onclick: () => actions.similar(r.segment) }, 'More like this'),
      );
    })),
  )));
}
