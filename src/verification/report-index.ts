import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ReportSchema, type Status } from '../../verify/src/model/report.ts';

// The site's view of the verify report: for each fenced block (file:line), its status and
// when it was checked. The report is what `npm run verify -- --report …` writes; the site is
// built with it (VERIFY_REPORT, default ./verify-report.json). Without one, every example
// honestly says it has not been verified yet.

export interface Verification {
  status: Status;
  reason: string | null;
  /** ISO date of the run that checked it. */
  checkedAt: string;
}

let cache: { file: string; mtimeMs: number; index: Map<string, Verification> } | null = null;

export function reportPath(): string {
  return path.resolve(process.env.VERIFY_REPORT ?? 'verify-report.json');
}

/** Map of `content/page.md:LINE` (path relative to the project root) → verification. */
export function loadVerifications(file = reportPath()): Map<string, Verification> {
  if (!existsSync(file)) return new Map();
  const mtimeMs = statSync(file).mtimeMs;
  if (cache && cache.file === file && cache.mtimeMs === mtimeMs) return cache.index;
  const parsed = ReportSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file}: not a verify report (${parsed.error.issues[0]?.message ?? 'invalid'}); rerun npm run verify -- --report ${file}`);
  }
  const index = new Map<string, Verification>();
  for (const b of parsed.data.blocks) {
    index.set(`${b.file}:${b.line}`, { status: b.status, reason: b.reason, checkedAt: parsed.data.run.finishedAt });
  }
  cache = { file, mtimeMs, index };
  return index;
}
