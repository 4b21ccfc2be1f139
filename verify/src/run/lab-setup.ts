import type { Block, Page } from '../model/plan.ts';

// `npm run lab -- page.md:LINE`: what runs before the maintainer's shell opens. LINE is a
// block's fence line (everything before that block runs) or a command's line (everything
// before that command runs, the earlier steps of its own block included). Without LINE the
// whole page runs. Pure.

export type LabSetup =
  | { ok: true; page: Page /** What the shell stands before, for the messages. */; before: string }
  | { ok: false; problem: string };

export function labSetup(page: Page, line: number | undefined): LabSetup {
  if (line === undefined) return { ok: true, page, before: 'the end of the page' };
  const index = page.blocks.findIndex((b) => b.line <= line && line <= b.endLine);
  const block = page.blocks[index];
  if (!block) return { ok: false, problem: `${page.file}:${line}: no code block at that line` };
  const earlier = page.blocks.slice(0, index);
  if (line === block.line) return { ok: true, page: { ...page, blocks: earlier }, before: `the block at line ${line}` };
  if (block.kind !== 'session') {
    return {
      ok: false,
      problem: `${page.file}:${line}: inside the ${block.kind} block at line ${block.line}; give its fence line (${block.line})`,
    };
  }
  const step = block.steps.find((s) => s.line === line);
  if (!step) {
    const lines = block.steps.map((s) => s.line).join(', ');
    return {
      ok: false,
      problem: `${page.file}:${line}: not a command's line; give the fence line (${block.line}) or a command's line (${lines})`,
    };
  }
  const partial: Block = { ...block, steps: block.steps.filter((s) => s.line < line) };
  const blocks = partial.kind === 'session' && partial.steps.length > 0 ? [...earlier, partial] : earlier;
  return { ok: true, page: { ...page, blocks }, before: `the command at line ${line}` };
}
