import { readFileSync } from 'node:fs';
import type { Target } from './collect/collect.ts';
import { extractPage } from './extract/markdown.ts';
import type { Page } from './model/plan.ts';
import { renderPlan } from './report/plan-printer.ts';
import { selectBlocks } from './run/page-runner.ts';

// `npm run verify -- --plan [paths]`: reads the pages and prints how each block will be run,
// without an engine. Exit 0 when every block reads cleanly, 2 (with file:line) when one cannot.

export function printPlan(
  targets: readonly Target[],
  opts: { color: boolean; timeoutScale: number },
  write: (s: string) => void = (s) => void process.stdout.write(s),
): number {
  const pages: Page[] = [];
  const unreadable: string[] = [];
  for (const t of targets) {
    let source: string;
    try {
      source = readFileSync(t.path, 'utf8');
    } catch (e) {
      unreadable.push(`${t.display}:1: cannot read the file: ${(e as Error).message}`);
      continue;
    }
    const page = extractPage(t.display, source);
    const blocks = selectBlocks(page, t.line);
    if (t.line !== undefined && blocks.length === 0) unreadable.push(`${t.display}:${t.line}: no code block at that line`);
    pages.push({ ...page, blocks });
  }
  const { text, problems } = renderPlan(pages, opts);
  write(text);
  for (const u of unreadable) write(`! ${u}\n`);
  return problems.length > 0 || unreadable.length > 0 ? 2 : 0;
}
