import type { Block } from '../model/plan.ts';
import type { BlockResult, ReportBlock } from '../model/report.ts';

// What a run that cannot go on leaves in the report, and how it says so: an engine that stopped
// answering, a page that broke off, a block that never got to run, a `:LINE` that names no
// block. Pure, apart from the error classes.

export class EngineStoppedError extends Error {}

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

export const oneLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/** The engine's socket or port refused or dropped us: it is gone, not the page's fault. */
export function isEngineGone(e: unknown): boolean {
  if (e instanceof EngineStoppedError) return true;
  const err = e as { code?: string; message?: string } | null;
  return ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOENT'].includes(err?.code ?? '') || /ECONNREFUSED|socket hang up|Cannot connect to the Docker daemon/.test(err?.message ?? '');
}

/** One line for the user: what happened, and where. */
export function describeFatal(e: unknown, engineHost: string | null, at: { file: string; line: number | null }): string {
  const where = at.file ? ` during ${at.file}${at.line ? `:${at.line}` : ''}` : '';
  if (isEngineGone(e)) return `the Docker engine${engineHost ? ` at ${engineHost}` : ''} stopped answering${where} (${oneLine(e)})`;
  return e instanceof Error ? e.message : String(e);
}

/** A block the run never got to (a fatal error stopped it first). */
export function notRun(block: Block, fatal: string | null): BlockResult {
  return {
    file: block.file,
    line: block.line,
    digest: block.digest,
    lang: block.lang,
    kind: block.kind,
    title: block.title,
    status: 'error',
    reason: fatal ? `not run: ${fatal}` : 'not run',
    durationMs: 0,
    steps: [],
    proof: 'none',
    usedBy: null,
  };
}

/** `page.md:LINE` where the page has no block: an error of that page, at that line. */
export function noBlockAt(file: string, line: number): BlockResult {
  return {
    file,
    line,
    digest: '',
    lang: '',
    kind: 'invalid',
    title: null,
    status: 'error',
    reason: `${file}:${line}: no code block at that line`,
    durationMs: 0,
    steps: [],
    proof: 'none',
    usedBy: null,
  };
}
