#!/usr/bin/env node
// npm run docs:serve — the README's screenshot of `vidlens serve` on the demo index (run `npm run demo`
// first): searches "a red shape" in the lab domain, plays the first hit, and writes docs/serve.png.
/* global document -- the functions handed to page.waitForFunction run in the browser */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildServer } from '../dist/index.js';

const root = join(process.cwd(), '.vidlens', 'demo');
if (!existsSync(join(root, 'db'))) {
  console.error("no demo index in .vidlens/demo/db: run 'npm run demo' first");
  process.exit(2);
}
const app = await buildServer({ db: join(root, 'db'), reports: root, jobRoots: [join(root, 'synth')] });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  await page.waitForSelector('#domain option[value="lab"]', { state: 'attached' });
  await page.selectOption('#domain', 'lab');
  await page.selectOption('#k', '10');
  await page.fill('#q', 'a red shape');
  await page.press('#q', 'Enter');
  await page.waitForSelector('.group img');
  await page.click('button.play >> nth=0');
  await page.waitForFunction(() => document.querySelector('#player-video')?.readyState >= 2);
  await page.waitForSelector('.report pre');
  await page.waitForFunction(() => [...document.querySelectorAll('.group img')].every((img) => img.complete));
  await page.screenshot({ path: join('docs', 'serve.png') });
  console.log('wrote docs/serve.png');
} finally {
  await browser.close();
  await app.close();
}
