import pc from 'picocolors';
import type { Alignment } from '../match/align.ts';
import type { LinePattern } from '../match/pattern.ts';

export interface DiffOptions {
  color: boolean;
  /** Unchanged lines kept around each change; longer runs fold into one `⋮ N lines` line. */
  context?: number;
}

/**
 * Renders an alignment as a unified-style diff: `-` documented lines the output lacks,
 * `+` output lines the page does not document, ` ` lines that hold (shown as documented).
 */
export function renderDiff(patterns: LinePattern[], actual: string[], alignment: Alignment, opts: DiffOptions): string {
  const c = pc.createColors(opts.color);
  const context = opts.context ?? 3;
  type Row = { sign: ' ' | '-' | '+' | '~'; text: string };
  const rows: Row[] = alignment.ops.map((op): Row => {
    switch (op.op) {
      case 'match':
        return { sign: ' ', text: patterns[op.e]!.source };
      case 'elide':
        return { sign: '~', text: `${patterns[op.e]!.source}   (${op.a.length} line${op.a.length === 1 ? '' : 's'})` };
      case 'missing':
        return { sign: '-', text: patterns[op.e]!.source };
      case 'extra':
        return { sign: '+', text: actual[op.a]! };
    }
  });

  const changed = rows.map((r) => r.sign === '-' || r.sign === '+');
  const near = (i: number) => changed.some((ch, k) => ch && Math.abs(k - i) <= context);
  const out: string[] = [c.red('- documented'), c.green('+ actual')];
  let folded = 0;
  const flush = () => {
    if (folded > 0) out.push(c.dim(`  ⋮ ${folded} matching line${folded === 1 ? '' : 's'}`));
    folded = 0;
  };
  rows.forEach((r, i) => {
    if (!changed[i] && !near(i)) {
      folded++;
      return;
    }
    flush();
    if (r.sign === '-') out.push(c.red(`- ${r.text}`));
    else if (r.sign === '+') out.push(c.green(`+ ${r.text}`));
    else out.push(c.dim(`  ${r.text}`));
  });
  flush();
  return out.join('\n');
}
