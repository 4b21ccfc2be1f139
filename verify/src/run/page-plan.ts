import { opensInteractiveSession } from '../extract/prompts.ts';
import type { SkipCause } from '../model/cause.ts';
import { writtenPath, type Block, type FileBlock, type Page, type SessionBlock, type Step } from '../model/plan.ts';
import { directoryAfter, filesReplacedBy, filesUsedBy, type WrittenFile } from './uses.ts';

// How a page's run goes, block by block, in one place for the runner and `--plan`, so that what
// `--plan` says is what the runner does: which blocks are reported (all, or the one
// `page.md:LINE` names) and where the run may stop, what a file block writes, and the
// bookkeeping of the files the page wrote (which still wait for a step to use them, which step
// judges each, which are written only and why). The runner feeds `PageLedger` what its lab
// really did (the shell's directory, whether a container's shell was open, the command with
// bound IDs); `planPage` feeds it what the page's text tells and returns the plan as data. Pure.

/** Blocks that get reported (all, or the one selected by `file.md:LINE`). */
export function selectBlocks(page: Page, line?: number): Block[] {
  if (line === undefined) return page.blocks;
  return page.blocks.filter((b) => b.line <= line && line <= b.endLine);
}

/** What a file block writes: its text without trailing blank lines, ending in one newline. */
export function fileContent(block: FileBlock): string {
  return `${block.code.replace(/\n*$/, '')}\n`;
}

/** How a written file's wait for a step ended. */
export type FileFate =
  /** The first step that used it (the command as the page shows it), whose verdict it takes. */
  | { kind: 'used'; line: number; command: string }
  /** No step used it: the page ended, a later block wrote the same path, or a command replaced it (`line`: that block or step). */
  | { kind: 'written-only'; why: 'unused' | 'overwritten' | 'replaced'; line: number | null };

/** A file block whose wait ended, where it was written and how. */
export interface Settled {
  block: FileBlock;
  path: string;
  fate: FileFate;
}

/**
 * The bookkeeping of one page's run. The run asks `reaches` before each block, tells it each
 * file written and each step typed, and `ended` when it stops; each answer lists the file blocks
 * whose fate that settled, in the order their verdicts are given.
 */
export class PageLedger {
  readonly reported: ReadonlySet<Block>;
  private readonly lastReported: number;
  // Every file the page wrote, latest content by path (a Compose file's build context is read
  // from it), and those no step has used yet.
  private readonly written = new Map<string, WrittenFile>();
  private readonly pending = new Map<string, FileBlock>();

  constructor(page: Page, line?: number) {
    this.reported = new Set(selectBlocks(page, line));
    this.lastReported = Math.max(...page.blocks.map((b, i) => (this.reported.has(b) ? i : -1)));
  }

  /** Whether the run goes on to the page's block at `index`: past the selected block (file.md:LINE), only until a selected file has been used. */
  reaches(index: number): boolean {
    return index <= this.lastReported || [...this.pending.values()].some((b) => this.reported.has(b));
  }

  /** The paths written that no step has used yet. */
  pendingPaths(): string[] {
    return [...this.pending.keys()];
  }

  /** `block` was written to `path` (with `fileContent`): a file still waiting there is written only. */
  wrote(block: FileBlock, path: string): Settled[] {
    const before = this.pending.get(path);
    if (before) this.pending.delete(path);
    this.written.set(path, { path, content: fileContent(block) });
    this.pending.set(path, block);
    return before ? [{ block: before, path, fate: { kind: 'written-only', why: 'overwritten', line: block.line } }] : [];
  }

  /**
   * `step` of `block` was typed as `ran` (its documented IDs bound) with the shell in `cwd`:
   * waiting files it uses take its verdict, and those it replaces (`cat > Dockerfile <<EOF`)
   * lose their content before anything used it. Only a command on the reader's machine
   * (`onHost`: not inside a container's shell or Python) reads the lab's files, and a background
   * one proves nothing.
   */
  typed(block: SessionBlock, step: Pick<Step, 'line' | 'command'>, ran: string, cwd: string, onHost: boolean): Settled[] {
    if (!onHost) return [];
    const settled: Settled[] = [];
    if (!block.annotations['verify-background'] && this.pending.size > 0) {
      for (const used of filesUsedBy(ran, cwd, [...this.written.values()])) {
        const waiting = this.pending.get(used.path);
        if (!waiting) continue;
        this.pending.delete(used.path);
        settled.push({ block: waiting, path: used.path, fate: { kind: 'used', line: step.line, command: step.command } });
      }
    }
    for (const path of filesReplacedBy(ran, cwd)) {
      const waiting = this.pending.get(path);
      if (waiting) {
        this.pending.delete(path);
        settled.push({ block: waiting, path, fate: { kind: 'written-only', why: 'replaced', line: step.line } });
      }
      this.written.delete(path);
    }
    return settled;
  }

  /** The run stopped: the files no step used are written only. */
  ended(): Settled[] {
    const settled = [...this.pending].map(
      ([path, block]): Settled => ({
        block,
        path,
        fate: { kind: 'written-only', why: 'unused', line: null },
      }),
    );
    this.pending.clear();
    return settled;
  }
}

/** How the runner will type a step: in the reader's shell, inside a program it opened, or not at all (that program never opened). */
export type StepPlace = 'host' | 'inside' | 'not-typed';

export interface PlannedStep {
  step: Step;
  place: StepPlace;
  /** The shell's directory before it. */
  cwd: string;
  /** The file blocks whose fate it settles (used by it, or replaced). */
  settles: Settled[];
}

/** What happens to a block. */
export type PlannedAction =
  | { kind: 'unreadable'; error: string }
  | { kind: 'skip'; cause: SkipCause }
  | { kind: 'write'; path: string; content: string; fate: FileFate }
  | { kind: 'run'; steps: PlannedStep[] };

export interface PlannedBlock {
  block: Block;
  /** False for a block run only as setup for the one `page.md:LINE` selects. */
  reported: boolean;
  /** The shell's directory before the block. */
  cwd: string;
  /** The paths written earlier that no step has used yet. */
  pending: string[];
  action: PlannedAction;
}

export interface PagePlan {
  file: string;
  /** The blocks the run reaches, in page order. */
  blocks: PlannedBlock[];
}

/**
 * The plan of a page's run from its text alone: the shell's directory follows the page's `cd`s,
 * and a container's shell or Python is open where the page shows its prompt. `workdir`: where
 * the page starts.
 */
export function planPage(page: Page, opts: { line?: number; workdir: string }): PagePlan {
  const ledger = new PageLedger(page, opts.line);
  // A file's fate is known only when a later step uses or replaces it, or the run stops.
  const writes = new Map<FileBlock, Extract<PlannedAction, { kind: 'write' }>>();
  const record = (settled: Settled[]) => {
    for (const s of settled) writes.get(s.block)!.fate = s.fate;
    return settled;
  };
  const blocks: PlannedBlock[] = [];
  let cwd = opts.workdir;
  let inside = false;
  for (const [index, block] of page.blocks.entries()) {
    if (!ledger.reaches(index)) break;
    const head = { block, reported: ledger.reported.has(block), cwd, pending: ledger.pendingPaths() };
    if (block.kind === 'invalid') {
      blocks.push({ ...head, action: { kind: 'unreadable', error: block.error } });
    } else if (block.skip !== undefined) {
      blocks.push({ ...head, action: { kind: 'skip', cause: block.skip } });
    } else if (block.kind === 'file') {
      const path = writtenPath(block, cwd);
      const action = { kind: 'write' as const, path, content: fileContent(block), fate: UNUSED };
      record(ledger.wrote(block, path));
      writes.set(block, action);
      blocks.push({ ...head, action });
    } else if (block.kind === 'session') {
      const steps: PlannedStep[] = [];
      for (const step of block.steps) {
        const host = step.promptKind === 'host' || step.promptKind === 'none';
        // A host prompt while a program is open: the reader left it first.
        if (host) inside = false;
        if (!host && !inside) {
          steps.push({ step, place: 'not-typed', cwd, settles: [] });
          continue;
        }
        steps.push({ step, place: host ? 'host' : 'inside', cwd, settles: record(ledger.typed(block, step, step.command, cwd, host)) });
        inside = endsInside(step, host);
        // The shell reports its directory when a command ends at its prompt, and a background
        // command's `cd` happens in a subshell.
        if (host && !inside && !block.annotations['verify-background']) cwd = directoryAfter(step.command, cwd);
      }
      blocks.push({ ...head, action: { kind: 'run', steps } });
    }
  }
  record(ledger.ended());
  return { file: page.file, blocks };
}

const UNUSED: FileFate = { kind: 'written-only', why: 'unused', line: null };

/** Whether a step leaves the reader inside a program (a container's shell, Python), as the page shows. */
function endsInside(step: Step, host: boolean): boolean {
  if (step.until === 'container' || step.until === 'python') return true;
  // At the end of a block, a program the step opened or was typed into is still open.
  return step.until === null && (!host || opensInteractiveSession(step.command));
}
