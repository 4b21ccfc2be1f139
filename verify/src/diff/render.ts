import pc from 'picocolors';
import type { DiffRow, DiffSection } from '../model/report.ts';

// Diff rows as text: `-` documented lines the output lacks, `+` output lines the page does not
// document, ` ` lines that hold (as documented), `⋮ N matching lines` where rows were folded.
// With colour (the terminal), each row is coloured by what it is; without, it is the text the
// JUnit report and `--check` show. Pure.

export function renderDiff(sections: readonly DiffSection[], opts: { color: boolean }): string {
  return sections
    .map((s) => {
      const rows = renderRows(s.rows, opts);
      return s.of === 'after-interrupt' ? `${pc.createColors(opts.color).dim('after ^C:')}\n${rows}` : rows;
    })
    .join('\n');
}

export function renderRows(rows: readonly DiffRow[], opts: { color: boolean }): string {
  const c = pc.createColors(opts.color);
  const out = [c.red('- documented'), c.green('+ actual')];
  for (const r of rows) {
    switch (r.op) {
      case 'missing':
        out.push(c.red(`- ${r.text}`));
        break;
      case 'extra':
        out.push(c.green(`+ ${r.text}`));
        break;
      case 'same':
        out.push(c.dim(`  ${r.text}`));
        break;
      case 'elided':
        out.push(c.dim(`  ${r.text}   (${r.lines} line${r.lines === 1 ? '' : 's'})`));
        break;
      case 'folded':
        out.push(c.dim(`  ⋮ ${r.lines} matching line${r.lines === 1 ? '' : 's'}`));
        break;
    }
  }
  return out.join('\n');
}
