import type { SearchBody, SimilarBody, VideoListBody } from '../../src/server/schemas.js';
import { ApiError, getJson, sendImage, signIn } from './api.js';
import { byId, h, shortPath } from './dom.js';
import { JobsPanel } from './jobs.js';
import { play, type PlayRequest } from './player.js';
import { loadReports } from './reports.js';
import { renderGroups } from './results.js';

interface Info {
  videos: number;
  segments: number;
  hours: number;
  model: { id: string };
  domains: Record<string, number>;
}

const form = byId<HTMLFormElement>('search-form');
const status = byId<HTMLElement>('status');
const results = byId<HTMLElement>('results');

/** The filters the form holds, as query parameters. */
function filters(): Record<string, string> {
  const data = new FormData(form);
  const out: Record<string, string> = {};
  for (const key of ['k', 'domain', 'video']) {
    const value = String(data.get(key) ?? '');
    if (value) out[key] = value;
  }
  return out;
}

function show(title: string, body: SearchBody | SimilarBody): void {
  const n = body.results.length;
  status.textContent = `${title}: ${n} result${n === 1 ? '' : 's'} in ${body.groups.length} video${body.groups.length === 1 ? '' : 's'} (model ${body.model})`;
  results.replaceChildren(renderGroups(body.groups, { play: (r) => void playing(r), similar: (s) => void similar(s) }));
}

/** Plays a hit and marks its card as the one playing. */
async function playing(request: PlayRequest): Promise<void> {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button.play')) {
    const on = request.segments.includes(button.dataset.segment ?? '');
    button.classList.toggle('playing', on);
    if (on) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
  await play(request).catch(fail);
}

function fail(error: unknown): void {
  if (error instanceof ApiError && error.status === 401) {
    byId('signin').hidden = false;
    byId<HTMLInputElement>('token').focus();
  }
  status.textContent = error instanceof Error ? error.message : String(error);
  status.classList.add('error');
}

async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
  status.classList.remove('error');
  status.textContent = 'Searching…';
  try {
    return await work();
  } catch (error) {
    fail(error);
    return undefined;
  }
}

async function search(): Promise<void> {
  const q = String(new FormData(form).get('q') ?? '').trim();
  if (!q) return;
  history.replaceState(null, '', `?q=${encodeURIComponent(q)}`);
  const body = await run(() => getJson<SearchBody>('/api/search', { q, ...filters() }));
  if (body) show(`“${body.query}”`, body);
}

async function similar(segment: string): Promise<void> {
  const body = await run(() => getJson<SimilarBody>(`/api/segments/${encodeURIComponent(segment)}/similar`, filters()));
  if (body) show(`More like ${segment}`, body);
}

async function searchImage(file: File): Promise<void> {
  const body = await run(() => sendImage<SimilarBody>('/api/similar/image', file, filters()));
  if (body) show(`Like ${file.name}`, body);
}

/** The header line and the filter choices, from the index as it is now. */
async function loadIndex(): Promise<void> {
  const info = await getJson<Info>('/api/info');
  byId('index-info').textContent = `${info.videos} videos · ${info.segments} segments · ${info.hours.toFixed(2)} h · model ${info.model.id}`;
  const domain = byId<HTMLSelectElement>('domain');
  const chosen = domain.value;
  domain.replaceChildren(h('option', { value: '' }, 'all domains'), ...Object.entries(info.domains).map(([d, n]) => h('option', { value: d }, `${d || '(none)'} (${n})`)));
  domain.value = chosen;
  const { videos } = await getJson<VideoListBody>('/api/videos');
  const video = byId<HTMLSelectElement>('video');
  const picked = video.value;
  video.replaceChildren(h('option', { value: '' }, 'all videos'), ...videos.map((v) => h('option', { value: v.id }, shortPath(v.path))));
  video.value = picked;
}

async function start(): Promise<void> {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token) {
    history.replaceState(null, '', location.pathname + location.search);
    await signIn(token).catch(fail);
  }
  await loadIndex();
  await new JobsPanel(() => void loadIndex().catch(fail)).load();
  await loadReports();
  const q = new URLSearchParams(location.search).get('q');
  if (q) {
    byId<HTMLInputElement>('q').value = q;
    await search();
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void search();
});
byId<HTMLInputElement>('image').addEventListener('change', (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) void searchImage(file);
});
byId<HTMLFormElement>('signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn(byId<HTMLInputElement>('token').value.trim())
    .then(() => {
      byId('signin').hidden = true;
      return start();
    })
    .catch(fail);
});
// "/" jumps to the search box, as in most search pages.
document.addEventListener('keydown', (event) => {
  if (event.key === '/' && document.activeElement?.tagName !== 'INPUT') {
    event.preventDefault();
    byId<HTMLInputElement>('q').focus();
  }
});
void start().catch(fail);
