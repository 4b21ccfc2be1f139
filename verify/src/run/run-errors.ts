import type { Block } from '../model/plan.ts';
import type { BlockResult, ReportBlock } from '../model/report.ts';
import { errorResult } from '../model/results.ts';

// What a run that cannot go on leaves in the report: a page that broke off, a block that never
// got to run, a `:LINE` that names no block (how the failure itself is told: fatal.ts). Pure,
// apart from the error class.

/** A page that could not go on, with the blocks it had finished. */
export class PageAborted extends Error {
  readonly done: ReportBlock[];
  override readonly cause: unknown;
  constructor(done: ReportBlock[], cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.done = done;
    this.cause = cause;
  }
}

/** A block the run never got to (a fatal error stopped it first). */
export function notRun(block: Block, fatal: string | null): BlockResult {
  return errorResult(block, { kind: 'not-run', fatal });
}

/** `page.md:LINE` where the page has no block: an error of that page, at that line. */
export function noBlockAt(file: string, line: number): BlockResult {
  return errorResult({ file, line, digest: '', lang: '', kind: 'invalid', title: null }, { kind: 'no-block' });
}
