import { readFileSync } from 'node:fs';
import type { Acceptance } from '../run/page-runner.ts';
import { applyEdits, type LineEdit } from './rewrite.ts';
import { writeFileAtomic } from '../fs/write-atomic.ts';

export class UpdateConflictError extends Error {}

/**
 * Writes accepted outputs back into a page. Refuses when the file changed since it was read
 * (the maintainer kept editing while the run went on): nothing they wrote is overwritten.
 */
export function updatePage(file: string, sourceAtRead: string, acceptances: Acceptance[]): number {
  if (acceptances.length === 0) return 0;
  const now = readFileSync(file, 'utf8');
  if (now !== sourceAtRead) {
    throw new UpdateConflictError(`${file} changed while it was being verified; not updated (run again)`);
  }
  const edits: LineEdit[] = acceptances.map((a) => ({
    startLine: a.expected.startLine,
    endLine: a.expected.endLine,
    lines: a.lines,
    indent: a.indent,
  }));
  const next = applyEdits(now, edits);
  if (next === now) return 0;
  writeFileAtomic(file, next);
  return acceptances.length;
}
