import { readFileSync } from 'node:fs';
import type { Target } from './collect/collect.ts';
import { LAB_WORKDIR } from './engine/lab.ts';
import { extractPage } from './extract/markdown.ts';
import { renderPlan } from './report/plan-printer.ts';
import { planPage, type PagePlan } from './run/page-plan.ts';

// `npm run verify -- --plan [paths]`: reads the pages and prints how each block will be run,
// without an engine. Exit 0 when every block reads cleanly, 2 (with file:line) when one cannot.

export function printPlan(
  targets: readonly Target[],
  opts: { color: boolean; timeoutScale: number },
  write: (s: string) => void = (s) => void process.stdout.write(s),
): number {
  const plans: PagePlan[] = [];
  const unreadable: string[] = [];
  for (const t of targets) {
    let source: string;
    try {
      source = readFileSync(t.path, 'utf8');
    } catch (e) {
      unreadable.push(`${t.display}:1: cannot read the file: ${(e as Error).message}`);
      continue;
    }
    // The whole page is planned, as the runner runs it: the blocks before `:LINE` set up its
    // directory and files, and those after it may be the steps that use its file.
    const plan = planPage(extractPage(t.display, source), { line: t.line, workdir: LAB_WORKDIR });
    if (t.line !== undefined && !plan.blocks.some((b) => b.reported)) unreadable.push(`${t.display}:${t.line}: no code block at that line`);
    plans.push(plan);
  }
  const { text, problems } = renderPlan(plans, opts);
  write(text);
  for (const u of unreadable) write(`! ${u}\n`);
  return problems.length > 0 || unreadable.length > 0 ? 2 : 0;
}
