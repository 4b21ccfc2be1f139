import type { Alignment } from '../match/align.ts';
import type { LinePattern } from '../match/pattern.ts';
import type { DiffRow } from '../model/report.ts';

// An alignment as the rows of a diff, the data every reporter renders its own way (terminal
// colours, JUnit text, JSON as is). Rows that hold far from any change fold into one `folded`
// row, so a long output with one changed line stays short. Pure.

export interface RowOptions {
  /** The file line of the first documented line (its patterns are consecutive lines). */
  firstLine: number;
  /** Rows that hold kept around each change (default 3). */
  context?: number;
}

export function diffRows(patterns: LinePattern[], actual: string[], alignment: Alignment, opts: RowOptions): DiffRow[] {
  const context = opts.context ?? 3;
  const line = (e: number) => opts.firstLine + e;
  // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch is exhaustive over op.op (TypeScript checks it).
  const rows = alignment.ops.map((op): Exclude<DiffRow, { op: 'folded' }> => {
    switch (op.op) {
      case 'match':
        return { op: 'same', text: patterns[op.e]!.source, expectedLine: line(op.e) };
      case 'elide':
        return { op: 'elided', text: patterns[op.e]!.source, expectedLine: line(op.e), lines: op.a.length };
      case 'missing':
        return { op: 'missing', text: patterns[op.e]!.source, expectedLine: line(op.e) };
      case 'extra':
        return { op: 'extra', text: actual[op.a]! };
    }
  });

  const changed = rows.map((r) => r.op === 'missing' || r.op === 'extra');
  const near = (i: number) => changed.some((ch, k) => ch && Math.abs(k - i) <= context);
  const out: DiffRow[] = [];
  rows.forEach((r, i) => {
    if (changed[i] || near(i)) {
      out.push(r);
      return;
    }
    const last = out.at(-1);
    if (last?.op === 'folded') last.lines++;
    else out.push({ op: 'folded', lines: 1 });
  });
  return out;
}
