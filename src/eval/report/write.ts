import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './html.js';
import type { EvalReport } from './types.js';

/** NaN and ±Infinity are not JSON: they become null. */
export function reportJson(report: EvalReport): string {
  return JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
}

/** Writes `report.json` and a self-contained `report.html` into `dir`. */
export async function writeReport(dir: string, report: EvalReport): Promise<{ json: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, 'report.json');
  const html = join(dir, 'report.html');
  await writeFile(json, `${reportJson(report)}\n`);
  await writeFile(html, await renderHtml(report));
  return { json, html };
}
