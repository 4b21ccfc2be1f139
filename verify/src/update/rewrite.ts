import type { Alignment } from '../match/align.ts';
import type { Bindings } from '../match/bindings.ts';
import type { LinePattern } from '../match/pattern.ts';

// --update: the documented output of a drifted step is rewritten from the actual output,
// keeping what the author wrote wherever it still holds — lines that matched (with their
// `[..]`, volatile values and documented IDs), and elisions (`...`) — so accepting new
// output never throws away the author's redactions.

/** New documented lines for one step, from its alignment. */
export function acceptedLines(
  patterns: LinePattern[],
  actual: string[],
  alignment: Alignment,
  bindings: Bindings,
): string[] {
  const out: string[] = [];
  for (const op of alignment.ops) {
    if (op.op === 'match' || op.op === 'elide') out.push(patterns[op.e]!.source);
    else if (op.op === 'extra') out.push(bindings.restore(actual[op.a]!));
    // 'missing': the documented line no longer appears, so it goes.
  }
  return out;
}

export interface LineEdit {
  /** 1-based, inclusive range of file lines to replace. */
  startLine: number;
  endLine: number;
  lines: string[];
  /** Prefix every new line gets: the block's indentation inside the file (lists, dedent). */
  indent: string;
}

/**
 * Applies edits to a file's text. Edits must not overlap. Line endings are kept.
 */
export function applyEdits(source: string, edits: LineEdit[]): string {
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = source.split(/\r?\n/);
  const sorted = [...edits].sort((a, b) => b.startLine - a.startLine);
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k]!.endLine >= sorted[k - 1]!.startLine) {
      throw new Error(`overlapping edits at lines ${sorted[k]!.startLine} and ${sorted[k - 1]!.startLine}`);
    }
  }
  for (const e of sorted) {
    lines.splice(e.startLine - 1, e.endLine - e.startLine + 1, ...e.lines.map((l) => (l === '' ? '' : e.indent + l)));
  }
  return lines.join(eol);
}
