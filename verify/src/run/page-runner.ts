import { align } from '../match/align.ts';
import { Bindings } from '../match/bindings.ts';
import { compile } from '../match/pattern.ts';
import { toLines } from '../normalize/text.ts';
import { writtenPath, type Block, type Expected, type FileBlock, type Page, type SessionBlock, type Step } from '../model/plan.ts';
import type { BlockResult, StepResult } from '../model/report.ts';
import { errorResult, sessionResult, staticResult, withNote, writtenResult } from '../model/results.ts';
import { limitNote } from '../model/cause.ts';
import { acceptedLines } from '../update/rewrite.ts';
import { opensInteractiveSession } from '../extract/prompts.ts';
import { type Comparison, judgeStep } from './judge.ts';
import { usedResult, writtenOnlyResult } from './file-verdict.ts';
import { fileContent, PageLedger, type Settled } from './page-plan.ts';
import type { PageLab, Shell } from './shell.ts';
import { infrastructureFault } from './infrastructure.ts';
import { stepTimeoutMs } from './timeouts.ts';

// Runs one page, block by block, in one shell session inside the page's lab: what a reader
// following the page on a fresh machine does. State (cwd, variables, files, containers)
// carries from block to block; the lab itself is thrown away afterwards.

/** A drifted step whose documented output --update may replace. */
export interface Acceptance {
  expected: Expected;
  lines: string[];
  /** The block's indentation in the file, which the new lines get. */
  indent: string;
  /** The block's fence line. */
  blockLine: number;
}

export interface PageRunOptions {
  /** Only report the block whose fence contains this line (earlier blocks still run, as setup). */
  line?: number;
  timeoutScale?: number;
  onBlockStart?: (block: Block) => void;
  onBlockEnd?: (result: BlockResult) => void;
}

export interface PageRun {
  results: BlockResult[];
  acceptances: Acceptance[];
  /** The reader's directory when the page's last block ended (null: no shell was opened). */
  cwd?: string | null;
}

export async function runPage(page: Page, lab: PageLab, opts: PageRunOptions = {}): Promise<PageRun> {
  // Which blocks are reported, where the run stops, and which file waits for which step: the
  // ledger `--plan` reads too, told here what the lab really did.
  const ledger = new PageLedger(page, opts.line);
  const reported = ledger.reported;
  const results = new Map<Block, BlockResult>();
  const acceptances: Acceptance[] = [];
  let bindings = new Bindings();
  let session: Shell | null = null;
  let interactive = false;
  // Each file block's result when it was written, until a step's verdict or none settles it.
  const writtenResults = new Map<FileBlock, BlockResult>();
  // The step line at which the lab's limits were last asked about (null: when the page began).
  let limitsAskedAt: number | null = null;

  const ensureSession = async () => {
    if (session?.alive) return session;
    const cwd: string = session?.cwd ?? lab.workdir;
    session?.close();
    session = await lab.openShell();
    interactive = false;
    if (cwd !== lab.workdir) await session.run({ input: `cd ${shellQuote(cwd)}`, acceptPrompt: false, echoed: false, timeoutMs: 10_000 });
    return session;
  };
  const settle = (block: Block, result: BlockResult) => {
    if (!reported.has(block)) return;
    results.set(block, result);
    opts.onBlockEnd?.(result);
  };
  /** File blocks whose fate the ledger settled; `step`: the result of the step that did it. */
  const settleFiles = (settled: Settled[], step: StepResult | null = null) => {
    for (const { block, path, fate } of settled) {
      const written = writtenResults.get(block)!;
      if (fate.kind === 'written-only') settle(block, writtenOnlyResult(written, path, fate.why, fate.line));
      else if (step) settle(block, usedResult(written, block, step));
    }
  };

  try {
    for (const [index, block] of page.blocks.entries()) {
      // A reader's path runs many lessons in one shell: each lesson's documented IDs are its
      // own, so the IDs bound in one lesson are not carried into the next.
      if (index > 0 && block.file !== page.blocks[index - 1]!.file) bindings = new Bindings();
      if (!ledger.reaches(index)) break;
      const report = reported.has(block);
      if (report) opts.onBlockStart?.(block);
      const started = Date.now();
      const fixed = staticResult(block);
      if (fixed) {
        settle(block, fixed);
      } else if (block.kind === 'file') {
        const { result, path } = await writeBlockFile(block, lab, (await ensureSession()).cwd, started);
        if (result.status === 'error') {
          settle(block, result);
          continue;
        }
        writtenResults.set(block, result);
        settleFiles(ledger.wrote(block, path));
      } else if (block.kind === 'session') {
        const steps: StepResult[] = [];
        for (const step of block.steps) {
          const s = await ensureSession();
          // A host command while a container's shell is still open: the reader left it first.
          if (interactive && (step.promptKind === 'host' || step.promptKind === 'none')) {
            if (!(await s.leaveInteractive())) s.close();
            interactive = false;
          }
          // Typing into a container's shell that never opened (its `docker run -it` failed)
          // would run the command on the reader's machine instead: that is not what the page shows.
          if (!interactive && (step.promptKind === 'container' || step.promptKind === 'python')) {
            steps.push(notTyped(step));
            continue;
          }
          const current = await ensureSession();
          const cwd = current.cwd;
          const {
            result: ran,
            acceptances: accepted,
            endedInteractive,
            bindings: bound,
          } = await runStep(current, step, block, bindings, opts.timeoutScale ?? 1);
          bindings = bound;
          const r = ran.status === 'passed' ? ran : await withLimits(notDrift(ran), lab, limitsAskedAt);
          if (ran.status !== 'passed') limitsAskedAt = step.line;
          steps.push(r);
          // --update touches only reported blocks, never those run as setup for `file.md:LINE`.
          if (report) acceptances.push(...accepted);
          // The files this step used get its verdict (a Dockerfile is as good as its build), and
          // those it replaced (`cat > Dockerfile <<EOF`) lost their content unused.
          settleFiles(ledger.typed(block, step, r.ran, cwd, !interactive), r);
          interactive = endedInteractive;
        }
        settle(block, sessionResult(block, steps, Date.now() - started));
      }
    }
    settleFiles(ledger.ended());
  } finally {
    (session as Shell | null)?.close();
  }
  // In page order, whenever each got its verdict.
  return { results: page.blocks.flatMap((b) => results.get(b) ?? []), acceptances, cwd: (session as Shell | null)?.cwd ?? null };
}

async function runStep(
  session: Shell,
  step: Step,
  block: SessionBlock,
  bindings: Bindings,
  timeoutScale: number,
): Promise<{ result: StepResult; acceptances: Acceptance[]; endedInteractive: boolean; bindings: Bindings }> {
  const ran = bindings.substitute(step.command);
  const annotations = block.annotations;
  const timeoutMs = stepTimeoutMs(ran, annotations['verify-timeout'], timeoutScale);
  const insideProgram = step.promptKind === 'container' || step.promptKind === 'python';
  const input = annotations['verify-background'] && !insideProgram ? `{ ${ran}\n} </dev/null >/dev/null 2>&1 &` : ran;
  const expectsPrompt = insideProgram || step.until === 'container' || step.until === 'python' || opensInteractiveSession(ran);

  // A `^C` step: the reader presses Ctrl-C once the documented output is there, or at the
  // timeout anyway; what the program prints then is still output.
  const interrupted = step.outcome.expect === 'interrupted';
  let outcome = await session.run({
    input,
    acceptPrompt: expectsPrompt,
    echoed: insideProgram,
    timeoutMs,
    interruptWhen: interrupted ? interruptWhenDocumented(step, bindings) : undefined,
    interruptOnTimeoutMs: interrupted ? INTERRUPT_GRACE_MS : undefined,
  });
  // A command that would not stop (an editor ignores Ctrl-C): drop this shell; the next step
  // gets a fresh one in the same lab and directory, where files and containers remain.
  if (outcome.endedBy === 'timeout' && !(await session.interrupt())) session.close();
  if (interrupted && outcome.endedBy === 'timeout') {
    // The reader presses Ctrl-C here anyway: what was shown until then is the output.
    outcome = { ...outcome, endedBy: 'host', exitCode: 130 };
  }
  const judged = judgeStep(step, ran, outcome, bindings, annotations, timeoutMs);
  // --update: the documented output, and what the page shows after `^C`, each from its own comparison.
  const accept = (expected: Expected, c: Comparison): Acceptance => ({
    expected,
    lines: acceptedLines(c.patterns, c.actual, c.alignment, judged.bindings),
    indent: block.indent,
    blockLine: block.line,
  });
  const acceptances: Acceptance[] = [];
  if (judged.result.status === 'failed') {
    if (judged.comparison && step.expected && !judged.comparison.alignment.ok) acceptances.push(accept(step.expected, judged.comparison));
    const after = judged.afterComparison;
    if (after && !after.alignment.ok) acceptances.push(accept(after.expected, after));
  }
  return { result: judged.result, acceptances, endedInteractive: outcome.endedBy === 'prompt', bindings: judged.bindings };
}

/** How long an interrupted program may take to print its last words and give the shell back. */
const INTERRUPT_GRACE_MS = 15_000;

/** For a `^C` step: stop as soon as the documented output has appeared. */
function interruptWhenDocumented(step: Step, bindings: Bindings): (output: string) => boolean {
  if (!step.expected) return () => false;
  // Compiled once: this runs on every chunk a streaming command prints.
  const patterns = compile(step.expected.lines);
  return (output) => align(patterns, toLines(output), bindings).ok;
}

async function writeBlockFile(
  block: FileBlock,
  lab: PageLab,
  cwd: string,
  started: number,
): Promise<{ result: BlockResult; path: string }> {
  const path = writtenPath(block, cwd);
  try {
    await lab.writeFile(path, fileContent(block));
    return { result: writtenResult(block, path, Date.now() - started), path };
  } catch (e) {
    return { result: errorResult(block, { kind: 'write-failed', path, message: (e as Error).message }, Date.now() - started), path };
  }
}

/** A failed step whose output shows the machine failed (a registry, the network, the disk) is an error, not drift. */
function notDrift(r: StepResult): StepResult {
  const fault = r.status === 'failed' ? infrastructureFault(r.actual) : null;
  return fault ? { ...r, status: 'error', cause: fault } : r;
}

/**
 * A failing step in a lab that hit its limits says so: the reader's machine would have behaved
 * otherwise with more memory or processes. Counters are read only after failures, so the event
 * happened between the last failure (or the page's start) and this step.
 */
async function withLimits(r: StepResult, lab: PageLab, since: number | null): Promise<StepResult> {
  const reading = await lab.limitsReached?.().catch(() => null);
  return reading ? withNote(r, limitNote(reading, since)) : r;
}

function notTyped(step: Step): StepResult {
  return {
    line: step.line,
    promptKind: step.promptKind,
    command: step.command,
    ran: step.command,
    expected: step.expected ? step.expected.lines.join('\n') : null,
    actual: null,
    exitCode: null,
    durationMs: 0,
    status: 'failed',
    proof: step.expected ? 'output' : 'exit-status',
    cause: { kind: 'session-closed', prompt: step.prompt },
    notes: [],
    diff: null,
  };
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
