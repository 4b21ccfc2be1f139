import pc from 'picocolors';
import { isRunnable, writtenPath, type Block, type Page, type SessionBlock, type Step } from '../model/plan.ts';
import { LAB_WORKDIR } from '../engine/lab.ts';
import { stepTimeoutMs } from '../run/timeouts.ts';
import { causeWords } from './cause-words.ts';
import { directoryAfter, filesReplacedBy, filesUsedBy, type WrittenFile } from '../run/uses.ts';

// `npm run verify -- --plan`: how the harness will read every block of the given pages, without
// running anything: each block's kind and why, its steps and prompts, the file it writes and the
// step expected to use it, what is skipped and why, annotations and timeouts. Pure.

export interface PlanText {
  text: string;
  /** `file:line: problem` for every block the harness cannot read. */
  problems: string[];
}

export function renderPlan(pages: readonly Page[], opts: { color: boolean; timeoutScale?: number }): PlanText {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  const problems: string[] = [];
  const counts = { session: 0, steps: 0, file: 0, skipped: 0 };
  for (const page of pages) {
    out.push(`${c.bold(page.file)} ${c.dim(`(${page.blocks.length} block${page.blocks.length === 1 ? '' : 's'})`)}`);
    const uses = predictFileUses(page);
    for (const b of page.blocks) {
      const head = `  ${c.dim(`${b.file}:${b.line}`)} ${fence(b)}`;
      const notes = [annotationsOf(b), b.recognised ? `read as ${b.recognised}` : ''].filter(Boolean).map((n) => c.dim(`    ${n}`));
      if (b.kind === 'invalid') {
        problems.push(`${b.file}:${b.line}: ${b.error}`);
        out.push(`${head} ${c.magenta(`cannot be read: ${b.error}`)}`, ...notes);
        continue;
      }
      if (b.skip !== undefined) {
        counts.skipped++;
        out.push(`${head} ${c.yellow(`skipped: ${causeWords(b.skip)}`)}`, ...notes);
        continue;
      }
      if (b.kind === 'file') {
        counts.file++;
        const use = uses.get(b);
        const verdict = use
          ? `judged by line ${use.line}: \`${firstLine(use.command)}\``
          : c.yellow('no step uses it: written only, not checked');
        out.push(`${head} file → ${b.writeTo} ${c.dim('—')} ${verdict}`, ...notes);
        continue;
      }
      if (b.kind !== 'session') continue;
      counts.session++;
      counts.steps += b.steps.length;
      out.push(`${head} session, ${b.steps.length} step${b.steps.length === 1 ? '' : 's'}`, ...notes);
      for (const s of b.steps) out.push(`      ${stepLine(b, s, opts.timeoutScale ?? 1, c)}`);
    }
    out.push('');
  }
  const blocks = pages.reduce((n, p) => n + p.blocks.length, 0);
  out.push(
    `${c.bold('Plan:')} ${pages.length} page(s), ${blocks} block(s): ${counts.session} session(s) with ${counts.steps} step(s), ${counts.file} file(s), ${counts.skipped} skipped, ${problems.length} that cannot be read`,
  );
  if (problems.length > 0) out.push('', c.bold('Problems'), ...problems.map((p) => c.magenta(`! ${p}`)));
  return { text: `${out.join('\n')}\n`, problems };
}

function fence(b: Block): string {
  return `\`\`\`${b.lang || ''}${b.title ? ` title="${b.title}"` : ''}`.padEnd(16);
}

function annotationsOf(b: Block): string {
  const entries = Object.entries(b.annotations).map(([k, v]) => (v === true ? k : `${k}=${JSON.stringify(v)}`));
  return entries.length > 0 ? `annotations: ${entries.join(' ')}` : '';
}

function stepLine(b: SessionBlock, s: Step, scale: number, c: ReturnType<typeof pc.createColors>): string {
  const prompt = s.promptKind === 'none' ? '(no prompt)' : s.prompt;
  const what: string[] = [];
  if (b.annotations['verify-background']) what.push('in the background, not checked');
  else if (s.expected) what.push(`output: ${count(s.expected.lines.length, 'line')}`);
  else what.push('no output documented: exit status only');
  const o = s.outcome;
  if (o.expect === 'interrupted') what.push(`^C${o.after ? `, then ${count(o.after.lines.length, 'line')} after it` : ''}`);
  if (s.until === 'container' || s.until === 'python') what.push(`then a ${s.until} prompt`);
  if (o.expect === 'fails') what.push('must fail');
  if (o.expect === 'exit') what.push(`must exit with status ${o.code}`);
  const seconds = Math.round(stepTimeoutMs(s.command, b.annotations['verify-timeout'], scale) / 1000);
  return `${c.dim(String(s.line))} ${s.promptKind} ${c.cyan(`${prompt} ${firstLine(s.command)}`.trim())} ${c.dim(`— ${what.join(', ')} · timeout ${seconds} s`)}`;
}

/**
 * The step expected to use each file block, as the runner will decide it (run/page-runner.ts),
 * from the page's text: the directory follows the page's `cd`s.
 */
export function predictFileUses(page: Page): Map<Block, { line: number; command: string }> {
  const uses = new Map<Block, { line: number; command: string }>();
  const written = new Map<string, WrittenFile>();
  const pending = new Map<string, Block>();
  let cwd = LAB_WORKDIR;
  let interactive = false;
  for (const b of page.blocks) {
    if (!isRunnable(b)) continue;
    if (b.kind === 'file') {
      const path = writtenPath(b, cwd);
      written.set(path, { path, content: `${b.code}\n` });
      pending.set(path, b);
      continue;
    }
    for (const s of b.steps) {
      const host = s.promptKind === 'host' || s.promptKind === 'none';
      if (!host) continue;
      if (!b.annotations['verify-background']) {
        for (const f of filesUsedBy(s.command, cwd, [...written.values()])) {
          const block = pending.get(f.path);
          if (!block) continue;
          pending.delete(f.path);
          uses.set(block, { line: s.line, command: s.command });
        }
      }
      for (const path of filesReplacedBy(s.command, cwd)) {
        pending.delete(path);
        written.delete(path);
      }
      interactive = s.until === 'container' || s.until === 'python';
      if (!interactive) cwd = directoryAfter(s.command, cwd);
    }
  }
  return uses;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function firstLine(command: string): string {
  const [first, ...more] = command.split('\n');
  return more.length > 0 ? `${first} …` : first!;
}
