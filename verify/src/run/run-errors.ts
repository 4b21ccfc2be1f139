import type { Block } from '../model/plan.ts';
import type { BlockResult } from '../model/report.ts';
import { errorResult } from '../model/results.ts';

// What a run that cannot go on leaves in the report: a block that never got to run, a `:LINE`
// that names no block (how the failure itself is told: fatal.ts; a page that broke off is a
// value of page-in-lab.ts). Pure.

/** A block the run never got to (a fatal error stopped it first). */
export function notRun(block: Block, fatal: string | null): BlockResult {
  return errorResult(block, { kind: 'not-run', fatal });
}

/** `page.md:LINE` where the page has no block: an error of that page, at that line. */
export function noBlockAt(file: string, line: number): BlockResult {
  return errorResult({ file, line, digest: '', occurrence: 0, lang: '', kind: 'invalid', title: null }, { kind: 'no-block' });
}
