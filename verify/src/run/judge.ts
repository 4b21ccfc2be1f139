import { diffRows } from '../diff/rows.ts';
import { align, type Alignment } from '../match/align.ts';
import type { Bindings } from '../match/bindings.ts';
import { compile, type LinePattern } from '../match/pattern.ts';
import type { Annotations } from '../model/annotations.ts';
import type { Expected, Outcome, Step } from '../model/plan.ts';
import type { DiffSection, StepResult } from '../model/report.ts';
import type { Cause } from '../model/cause.ts';
import { toLines } from '../normalize/text.ts';
import type { RunOutcome } from './shell.ts';

// Turns what happened to one step into a verdict. Pure: the same outcome always gets the
// same verdict, which is what the unit tests pin down.

export interface Judged {
  result: StepResult;
  /** The bindings after this step: those given, with the IDs its output bound. */
  bindings: Bindings;
  /** Present when output was compared; --update rewrites from it. */
  comparison: Comparison | null;
  /** What the page shows after `^C`, compared with what the program printed then (null: none). */
  afterComparison: (Comparison & { expected: Expected }) | null;
}

export interface Comparison {
  patterns: LinePattern[];
  actual: string[];
  alignment: Alignment;
}

export function judgeStep(
  step: Step,
  ran: string,
  outcome: RunOutcome,
  bindings: Bindings,
  annotations: Annotations,
  timeoutMs: number,
): Judged {
  const actual = toLines(outcome.output);
  const expect = step.outcome;
  // What follows `^C` on the page is compared too: the report shows it after a `^C` line.
  const documentedAfter = expect.expect === 'interrupted' ? expect.after : null;
  const after = documentedAfter ? afterCtrlC(outcome.afterInterrupt) : null;
  const withAfter = (before: string, rest: string[] | null) => (rest ? `${before ? `${before}\n` : ''}^C\n${rest.join('\n')}` : before);
  const base = {
    line: step.line,
    promptKind: step.promptKind,
    command: step.command,
    ran,
    expected: step.expected || documentedAfter ? withAfter(step.expected?.lines.join('\n') ?? '', documentedAfter?.lines ?? null) : null,
    actual: withAfter(actual.join('\n'), after),
    exitCode: outcome.exitCode,
    durationMs: outcome.durationMs,
    diff: null,
    notes: [],
    // A background step's output is not compared and its exit status is the `&`'s: it proves nothing.
    proof: annotations['verify-background']
      ? ('none' as const)
      : step.expected || documentedAfter
        ? ('output' as const)
        : ('exit-status' as const),
  };

  let comparison: Judged['comparison'] = null;
  let afterComparison: Judged['afterComparison'] = null;
  let outputHolds = true;
  const diff: DiffSection[] = [];
  let bound = bindings;
  if (step.expected && !annotations['verify-background']) {
    const patterns = compile(step.expected.lines);
    const alignment = align(patterns, actual, bound);
    bound = alignment.bindings;
    comparison = { patterns, actual, alignment };
    outputHolds = alignment.ok;
    if (!outputHolds) diff.push({ of: 'output', rows: diffRows(patterns, actual, alignment, { firstLine: step.expected.startLine }) });
  }
  // After `^C`: the interrupted program's last words (ping's statistics, a server's shutdown).
  if (documentedAfter && after && !annotations['verify-background']) {
    const patterns = compile(documentedAfter.lines);
    const alignment = align(patterns, after, bound);
    bound = alignment.bindings;
    afterComparison = { patterns, actual: after, alignment, expected: documentedAfter };
    if (!alignment.ok) {
      outputHolds = false;
      diff.push({ of: 'after-interrupt', rows: diffRows(patterns, after, alignment, { firstLine: documentedAfter.startLine }) });
    }
  }
  return {
    result: { ...base, ...verdict(outcome, outputHolds, expect, timeoutMs), diff: diff.length > 0 ? diff : null },
    comparison,
    afterComparison,
    bindings: bound,
  };
}

/** The step's status and why, once its output has been compared. */
function verdict(outcome: RunOutcome, outputHolds: boolean, expect: Outcome, timeoutMs: number): Pick<StepResult, 'status' | 'cause'> {
  if (outcome.endedBy === 'timeout') return { status: 'failed', cause: { kind: 'timeout', seconds: Math.round(timeoutMs / 1000) } };
  if (outcome.endedBy === 'exit') return { status: 'error', cause: { kind: 'shell-exited' } };
  if (!outputHolds) return { status: 'failed', cause: { kind: 'output-differs' } };
  const exit = exitVerdict(expect, outcome.exitCode);
  return { status: exit ? 'failed' : 'passed', cause: exit };
}

/** Why the exit status does not hold for the expected outcome (null: it holds). */
function exitVerdict(expect: Outcome, code: number | null): Cause | null {
  // No exit status (the step ended at an interactive prompt): nothing to hold against.
  if (code === null) return null;
  switch (expect.expect) {
    case 'succeeds':
      return code === 0 ? null : { kind: 'exit-status', expected: 'success', actual: code };
    case 'fails':
      return code !== 0 ? null : { kind: 'exit-status', expected: 'failure', actual: code };
    case 'exit':
      return code === expect.code ? null : { kind: 'exit-status', expected: expect.code, actual: code };
    case 'as-documented':
    case 'interrupted':
      return null;
  }
}

/** What the terminal showed after Ctrl-C, without the `^C` the terminal itself echoed. */
function afterCtrlC(text: string | null): string[] {
  const lines = toLines((text ?? '').replace(/^\s*\^C/, ''));
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  return lines;
}
