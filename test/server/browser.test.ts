// The functions handed to page.* run in the browser, so this file needs the DOM types.
/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vidlens } from '../helpers/cli.js';
import { servedIndex, startServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

/** Where CI keeps what the page looked like. */
const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'test-artifacts');
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

describe('the web page in headless Chromium', () => {
  const root = tempDir();
  let url: string;
  let close: () => Promise<void>;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    const index = await servedIndex(root);
    const report = await vidlens(['eval', 'retrieval', '--db', index.db, '--dataset', join(index.synth, 'clips.jsonl'), '--relevancy', join(index.synth, 'relevancy.npy'), '--out', join(root, 'reports', 'zero-shot')]);
    expect(report.code, report.stderr).toBe(0);
    ({ url, close } = await startServer({ db: index.db, reports: join(root, 'reports'), jobRoots: [index.synth] }));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector('#index-info')?.textContent?.includes('8 videos'));
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  it('searches, shows groups per video, and plays a hit from its start with its span on the timeline', async () => {
    await page.selectOption('#k', '5');
    // Two of the set's lab clips show a green object: their 4 s segments score apart, so some hit starts after 0 s.
    await page.fill('#q', 'a green shape');
    await page.press('#q', 'Enter');
    await page.waitForSelector('.group');
    expect(await page.textContent('#status')).toMatch(/“a green shape”: 5 results in \d videos/);
    const starts = await page.$$eval('button.play', (buttons) => buttons.map((b) => Number(b.getAttribute('data-start'))));
    const pick = starts.findIndex((s) => s > 0);
    expect(pick, 'a hit that starts after 0 s, to tell seeking from not seeking').toBeGreaterThanOrEqual(0);
    await page.click(`button.play >> nth=${pick}`);
    await page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('#player-video');
      return video !== null && video.readyState >= 1 && video.currentTime > 0;
    });
    const currentTime = await page.$eval('#player-video', (v) => (v as HTMLVideoElement).currentTime);
    expect(currentTime).toBeCloseTo(starts[pick], 1);
    expect(await page.$$eval('.timeline .seg', (s) => s.length)).toBe(3);
    expect(await page.$$eval('.timeline .seg.hit', (s) => s.length)).toBeGreaterThanOrEqual(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'serve-page.png') });
  });

  it('is usable from the keyboard: "/" focuses the search, Enter on a result plays it', async () => {
    await page.click('body');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    await page.focus('button.play >> nth=0');
    const start = Number(await page.getAttribute('button.play >> nth=0', 'data-start'));
    await page.keyboard.press('Enter');
    await page.waitForFunction((s) => {
      const video = document.querySelector<HTMLVideoElement>('#player-video');
      return video !== null && video.readyState >= 1 && Math.abs(video.currentTime - s) < 0.1;
    }, start);
  });

  it('finds more like a result', async () => {
    await page.click('button.similar >> nth=0');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('More like'));
    expect(await page.textContent('#status')).toMatch(/^More like [0-9a-f]+:\d: 5 results in \d videos?/);
    expect(await page.$$eval('button.play', (b) => b.length)).toBeGreaterThanOrEqual(1);
  });

  it('shows the eval report next to the results', async () => {
    await page.waitForSelector('.report pre');
    expect(await page.textContent('.report pre')).toContain('t2v R@1');
    expect(await page.getAttribute('.report a', 'href')).toBe('/api/reports/zero-shot/html');
  });

  it('makes no request outside the server', () => {
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((r) => !r.startsWith(url) && !r.startsWith('data:'))).toEqual([]);
  });
});
