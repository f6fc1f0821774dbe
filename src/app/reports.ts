import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { textSummary } from '../eval/report/text.js';
import { REPORT_KINDS, type EvalReport } from '../eval/report/types.js';

export interface ReportEntry {
  /** The report's folder relative to the root (the root's own name for a report in the root itself). */
  name: string;
  kind: string;
  created: string;
  model: string | null;
  dataset: string;
  n: number;
  /** Whether `report.html` sits beside `report.json`. */
  html: boolean;
  /** The folder on disk. */
  dir: string;
}

/** How deep below the root report folders are looked for. */
const MAX_DEPTH = 3;

function isReport(value: unknown): value is EvalReport {
  const r = value as Partial<EvalReport> | null;
  return typeof r === 'object' && r !== null && typeof r.kind === 'string' && REPORT_KINDS.has(r.kind) && typeof r.created === 'string' && typeof r.dataset === 'object';
}

async function readReport(file: string): Promise<EvalReport | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return isReport(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The eval reports (`vidlens eval … --out DIR`) under one folder: every `report.json` up to three
 * levels down that parses as a report. Files that are not reports are passed over. Reports are
 * found by listing, never by joining a client's name onto a path.
 */
export class ReportShelf {
  constructor(readonly root: string) {}

  async list(): Promise<ReportEntry[]> {
    const dirs: string[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      if (entries.some((e) => e.isFile() && e.name === 'report.json')) dirs.push(dir);
      if (depth < MAX_DEPTH) for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) await walk(join(dir, e.name), depth + 1);
    };
    await walk(this.root, 0);
    const entries: ReportEntry[] = [];
    for (const dir of dirs) {
      const report = await readReport(join(dir, 'report.json'));
      if (!report) continue;
      const html = await stat(join(dir, 'report.html')).then((s) => s.isFile(), () => false);
      entries.push({ name: relative(this.root, dir) || basename(this.root), kind: report.kind, created: report.created, model: report.model?.id ?? null, dataset: report.dataset.path, n: report.dataset.n, html, dir });
    }
    return entries.sort((a, b) => b.created.localeCompare(a.created));
  }

  /** One report with its text summary, or undefined when no listed report has this name. */
  async get(name: string): Promise<{ entry: ReportEntry; report: EvalReport; summary: string[] } | undefined> {
    const entry = (await this.list()).find((e) => e.name === name);
    if (!entry) return undefined;
    const report = await readReport(join(entry.dir, 'report.json'));
    return report && { entry, report, summary: textSummary(report) };
  }
}
