import pc from 'picocolors';
import type { Block, SessionBlock, Step } from '../model/plan.ts';
import type { PagePlan } from '../run/page-plan.ts';
import { stepTimeoutMs } from '../run/timeouts.ts';
import { causeWords } from './cause-words.ts';

// `npm run verify -- --plan`: how the harness will read every block of the given pages, without
// running anything: each block's kind and why, its steps and prompts, the file it writes and the
// step expected to use it, what is skipped and why, annotations and timeouts. The plans come
// from run/page-plan.ts, which the runner follows too; this only words them. Pure.

export interface PlanText {
  text: string;
  /** `file:line: problem` for every block the harness cannot read. */
  problems: string[];
}

/** The text of `plans`: each page's reported blocks (all, or the one `page.md:LINE` selects). */
export function renderPlan(plans: readonly PagePlan[], opts: { color: boolean; timeoutScale?: number }): PlanText {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  const problems: string[] = [];
  const counts = { session: 0, steps: 0, file: 0, skipped: 0 };
  let blocks = 0;
  for (const plan of plans) {
    const shown = plan.blocks.filter((p) => p.reported);
    blocks += shown.length;
    out.push(`${c.bold(plan.file)} ${c.dim(`(${count(shown.length, 'block')})`)}`);
    for (const { block: b, action } of shown) {
      const head = `  ${c.dim(`${b.file}:${b.line}`)} ${fence(b)}`;
      const notes = [annotationsOf(b), b.recognised ? `read as ${b.recognised}` : ''].filter(Boolean).map((n) => c.dim(`    ${n}`));
      if (action.kind === 'unreadable') {
        problems.push(`${b.file}:${b.line}: ${action.error}`);
        out.push(`${head} ${c.magenta(`cannot be read: ${action.error}`)}`, ...notes);
      } else if (action.kind === 'skip') {
        counts.skipped++;
        out.push(`${head} ${c.yellow(`skipped: ${causeWords(action.cause)}`)}`, ...notes);
      } else if (action.kind === 'write' && b.kind === 'file') {
        counts.file++;
        const { fate } = action;
        const verdict =
          fate.kind === 'used'
            ? `judged by line ${fate.line}: \`${firstLine(fate.command)}\``
            : c.yellow('no step uses it: written only, not checked');
        out.push(`${head} file → ${b.writeTo} ${c.dim('—')} ${verdict}`, ...notes);
      } else if (action.kind === 'run' && b.kind === 'session') {
        counts.session++;
        counts.steps += action.steps.length;
        out.push(`${head} session, ${count(action.steps.length, 'step')}`, ...notes);
        for (const { step } of action.steps) out.push(`      ${stepLine(b, step, opts.timeoutScale ?? 1, c)}`);
      }
    }
    out.push('');
  }
  out.push(
    `${c.bold('Plan:')} ${plans.length} page(s), ${blocks} block(s): ${counts.session} session(s) with ${counts.steps} step(s), ${counts.file} file(s), ${counts.skipped} skipped, ${problems.length} that cannot be read`,
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

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function firstLine(command: string): string {
  const [first, ...more] = command.split('\n');
  return more.length > 0 ? `${first} …` : first!;
}
