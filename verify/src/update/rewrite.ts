import type { Alignment } from '../match/align.ts';
import type { Bindings } from '../match/bindings.ts';
import type { LinePattern } from '../match/pattern.ts';

// --update: the documented output of a drifted step is rewritten from the actual output,
// keeping what the author wrote wherever it still holds — lines that matched (with their
// `[..]`, volatile values and documented IDs), and elisions (`...`) — so accepting new
// output never throws away the author's redactions.

/**
 * New documented lines for one step, from its alignment. A documented line that no longer
 * appears goes, unless an elision next to it swallowed the line that replaced it (documented
 * `ERROR: …` then `...`, and the error now reads otherwise): that line is then kept in the
 * elision's place, between `...` where lines remain on either side, so the update still
 * documents what the author chose to show instead of leaving `...` alone.
 */
export function acceptedLines(patterns: LinePattern[], actual: string[], alignment: Alignment, bindings: Bindings): string[] {
  const ops = alignment.ops;
  // Elisions (by op index) that give up one of their lines to a missing neighbour.
  const kept = new Map<number, number>();
  ops.forEach((op, k) => {
    if (op.op !== 'missing') return;
    for (const n of [k + 1, k - 1]) {
      const near = ops[n];
      if (near?.op !== 'elide' || kept.has(n) || near.a.length === 0) continue;
      const best = mostLike(
        patterns[op.e]!.source,
        near.a.map((a) => actual[a]!),
      );
      if (best !== null) {
        kept.set(n, best);
        return;
      }
    }
  });
  const out: string[] = [];
  ops.forEach((op, k) => {
    if (op.op === 'match') out.push(patterns[op.e]!.source);
    else if (op.op === 'extra') out.push(bindings.restore(actual[op.a]!));
    else if (op.op === 'elide') {
      const i = kept.get(k);
      if (i === undefined) {
        out.push(patterns[op.e]!.source);
        return;
      }
      const elision = patterns[op.e]!.source;
      if (i > 0) out.push(elision);
      out.push(bindings.restore(actual[op.a[i]!]!));
      if (i < op.a.length - 1) out.push(elision);
    }
    // 'missing': the documented line no longer appears; a neighbour elision may keep its successor.
  });
  return out;
}

/**
 * Which of `lines` (by index) is most like the documented `line`: the one that shares most of
 * its words (of 3 letters or more), if it shares at least one of 4 or more and a third of
 * them. Null when none does: the documented line then simply goes.
 */
function mostLike(line: string, lines: readonly string[]): number | null {
  const wordsOf = (s: string) => new Set(s.toLowerCase().match(/[\p{L}\p{N}_]{3,}/gu) ?? []);
  const wanted = wordsOf(line);
  if (wanted.size === 0) return null;
  let best: { i: number; score: number } | null = null;
  lines.forEach((l, i) => {
    const shared = [...wordsOf(l)].filter((w) => wanted.has(w));
    const score = shared.length / wanted.size;
    if (shared.some((w) => w.length >= 4) && score >= 1 / 3 && (!best || score > best.score)) best = { i, score };
  });
  return best === null ? null : (best as { i: number }).i;
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
