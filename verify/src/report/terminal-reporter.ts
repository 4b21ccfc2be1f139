import pc from 'picocolors';
import { renderDiff } from '../diff/render.ts';
import type { ReportBlock as BlockResult, Status } from '../model/report.ts';
import type { EventOf, Reporter } from './events.ts';
import { verdictWords } from './cause-words.ts';

// Progress while running (page, then one line per block) and a summary at the end with the
// diff and file:line of every failure. Colour only on a TTY (or FORCE_COLOR).

const ICON: Record<Status, string> = { passed: '✓', failed: '✗', skipped: '○', error: '!' };

export class TerminalReporter implements Reporter {
  private readonly c: ReturnType<typeof pc.createColors>;
  private readonly color: boolean;
  private readonly write: (s: string) => void;

  constructor(opts: { color: boolean; write?: (s: string) => void }) {
    this.color = opts.color;
    this.c = pc.createColors(opts.color);
    this.write = opts.write ?? ((s) => process.stdout.write(s));
  }

  onRunStart(e: EventOf<'run-start'>): void {
    const what = e.scope === 'path' ? `the reader's path: ${e.files.join(', ')}` : `${e.files.length} page(s)`;
    this.write(this.c.bold(`curso-verify: ${e.mode === 'update' ? 'verifying and updating' : 'verifying'} ${what}\n`));
  }

  onLog(e: EventOf<'log'>): void {
    this.write(this.c.dim(`  ${e.message}\n`));
  }

  onEngineReady(e: EventOf<'engine-ready'>): void {
    const c = this.c;
    this.write(c.dim(`  engine ready in ${(e.durationMs / 1000).toFixed(1)} s: ${e.engine}\n`));
    for (const i of e.images)
      this.write(c.dim(`  image ${i.ref}: ${i.source === 'stand-in' ? `stand-in (${i.how})` : 'from a registry'}\n`));
  }

  onPageStart(e: EventOf<'page-start'>): void {
    this.write(`\n${this.c.bold(e.file)} ${this.c.dim(`(${e.blocks} block${e.blocks === 1 ? '' : 's'})`)}\n`);
  }

  onBlockEnd(e: EventOf<'block-end'>): void {
    this.write(`  ${this.line(e.result)}\n`);
  }

  onPageUpdated(e: EventOf<'page-updated'>): void {
    this.write(this.c.yellow(`  updated ${e.steps} documented output(s) in ${e.file}\n`));
  }

  /** `--update --dry-run`: each change with its label and its lines, old (-) and new (+); nothing written. */
  onUpdatePreview(e: EventOf<'update-preview'>): void {
    const c = this.c;
    this.write(c.yellow(`  --update would change ${e.changes.length} documented output(s) in ${e.file} (dry run: nothing written)\n`));
    for (const ch of e.changes) {
      const label = ch.kind === 'cosmetic' ? c.dim('cosmetic') : c.bold(c.yellow('meaningful'));
      this.write(`    ${e.file}:${ch.startLine}-${ch.endLine} ${label}\n`);
      for (const l of ch.before) this.write(c.red(`      - ${l}\n`));
      for (const l of ch.after) this.write(c.green(`      + ${l}\n`));
    }
  }

  onPageError(e: EventOf<'page-error'>): void {
    this.write(this.c.magenta(`  ! ${e.message}\n`));
  }

  onRunEnd(e: EventOf<'run-end'>): void {
    this.summary(e.report.blocks as BlockResult[], e.report.run.durationMs, e.report.run.fatal);
  }

  private colour(status: Status, s: string): string {
    const c = this.c;
    return status === 'passed' ? c.green(s) : status === 'failed' ? c.red(s) : status === 'error' ? c.magenta(s) : c.yellow(s);
  }

  private line(r: BlockResult): string {
    const what = r.title ? `${r.lang || 'text'} ${r.title}` : r.lang || 'untagged';
    const steps = r.steps.length > 0 ? ` ${r.steps.length} step${r.steps.length === 1 ? '' : 's'}` : '';
    const time = r.durationMs > 0 && !r.reused ? this.c.dim(` ${(r.durationMs / 1000).toFixed(1)}s`) : '';
    const note = r.status === 'passed' ? passNote(r) : verdictWords(r);
    const reason = note ? this.c.dim(` — ${note}`) : '';
    const reused = r.reused ? this.c.cyan(` ${reusedNote(r)}`) : '';
    // A pass that checked nothing (a file no step uses, a background start) is not shown as one.
    const icon =
      r.status === 'passed' && (r.proof === 'written' || r.proof === 'none') ? this.c.yellow('○') : this.colour(r.status, ICON[r.status]);
    return `${icon} ${r.file}:${r.line} ${this.c.dim(what)}${steps}${time}${reused}${reason}`;
  }

  private summary(blocks: BlockResult[], durationMs: number, fatal: string | null): void {
    const c = this.c;
    const bad = blocks.filter((b) => b.status === 'failed' || b.status === 'error');
    if (bad.length > 0) this.write(`\n${c.bold('Problems')}\n`);
    for (const b of bad) {
      this.write(
        `\n${this.colour(b.status, `${ICON[b.status]} ${b.status.toUpperCase()}`)} ${c.bold(`${b.file}:${b.line}`)}${blockWords(b)}\n`,
      );
      // A reused failure did not run now: say so, and how to run it again.
      if (b.reused) this.write(c.cyan(`  ${reusedNote(b)}: the page has not changed since; --force runs it again\n`));
      for (const s of b.steps.filter((s) => s.status === 'failed' || s.status === 'error')) {
        this.write(
          `  ${c.bold(`${b.file}:${s.line}`)} ${c.cyan(`${s.promptKind === 'host' || s.promptKind === 'none' ? '$' : '›'} ${s.ran.split('\n')[0]}`)}\n`,
        );
        const said = verdictWords(s);
        if (said) this.write(`  ${said}${s.exitCode !== null ? c.dim(` (exit ${s.exitCode})`) : ''}\n`);
        if (s.diff) this.write(`${indent(renderDiff(s.diff, { color: this.color }), '    ')}\n`);
        else if (s.expected === null && s.actual)
          this.write(`${indent(c.dim(`output was:\n${s.actual.split('\n').slice(-15).join('\n')}`), '    ')}\n`);
      }
    }
    const count = (s: Status) => blocks.filter((b) => b.status === s).length;
    const parts = (['passed', 'failed', 'skipped', 'error'] as Status[]).map((s) => this.colour(s, `${count(s)} ${s}`));
    this.write(`\n${c.bold('Blocks:')} ${parts.join(', ')} (${blocks.length} total) in ${(durationMs / 1000).toFixed(1)} s\n`);
    const passed = blocks.filter((b) => b.status === 'passed');
    const by = (p: BlockResult['proof']) => passed.filter((b) => b.proof === p).length;
    const proofs = [
      [by('output'), 'output verified'],
      [by('exit-status'), 'ran, output not documented'],
      [by('used'), 'file checked by the step that uses it'],
      [by('written'), 'file written only, not checked'],
      [by('none'), 'started in the background, not checked'],
    ].filter(([n]) => (n as number) > 0);
    if (proofs.length > 0) this.write(c.dim(`Passed: ${proofs.map(([n, what]) => `${n} ${what}`).join(', ')}\n`));
    const reused = blocks.filter((b) => b.reused).length;
    if (reused > 0)
      this.write(c.dim(`Reused: ${reused} of ${blocks.length} blocks, from earlier runs of the same inputs (--force runs them again)\n`));
    if (fatal) this.write(c.magenta(`\nThe run could not complete: ${fatal}\n`));
  }
}

/** "reused (verified 23 Nov)": the date the reused result really ran. */
export function reusedNote(r: Pick<BlockResult, 'verifiedAt'>): string {
  const d = new Date(r.verifiedAt);
  const sameYear = d.getFullYear() === new Date().getFullYear();
  const date = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
  return `reused (verified ${date})`;
}

/** What a pass proves, when it is less than "the documented output appeared". */
function passNote(r: BlockResult): string | null {
  switch (r.proof) {
    case 'used':
    case 'written':
      return verdictWords(r);
    case 'none':
      return r.steps.length > 0 ? 'started in the background, not checked' : null;
    case 'exit-status':
      return 'ran, output not documented';
    case 'output': {
      const bare = r.steps.filter((s) => s.proof === 'exit-status').length;
      return bare > 0 ? `${bare} of ${r.steps.length} steps ran, output not documented` : null;
    }
  }
}

function blockWords(b: BlockResult): string {
  const said = verdictWords(b);
  return said ? ` — ${said}` : '';
}

function indent(s: string, pad: string): string {
  return s
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}
