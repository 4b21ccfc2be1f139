import { renderDiff } from '../diff/render.ts';
import { align, type Alignment } from '../match/align.ts';
import type { Bindings } from '../match/bindings.ts';
import { compile, type LinePattern } from '../match/pattern.ts';
import type { Annotations } from '../model/annotations.ts';
import type { Step } from '../model/plan.ts';
import type { StepResult } from '../model/report.ts';
import { toLines } from '../normalize/text.ts';
import type { RunOutcome } from './shell.ts';

// Turns what happened to one step into a verdict. Pure: the same outcome always gets the
// same verdict, which is what the unit tests pin down.

export interface Judged {
  result: StepResult;
  /** Present when output was compared; --update rewrites from it. */
  comparison: { patterns: LinePattern[]; actual: string[]; alignment: Alignment } | null;
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
  // What follows `^C` on the page is compared too: the report shows it after a `^C` line.
  const after = step.afterInterrupt ? afterCtrlC(outcome.afterInterrupt) : null;
  const withAfter = (before: string, rest: string[] | null) => (rest ? `${before ? `${before}\n` : ''}^C\n${rest.join('\n')}` : before);
  const base = {
    line: step.line,
    promptKind: step.promptKind,
    command: step.command,
    ran,
    expected: step.expected || step.afterInterrupt ? withAfter(step.expected?.lines.join('\n') ?? '', step.afterInterrupt?.lines ?? null) : null,
    actual: withAfter(actual.join('\n'), after),
    exitCode: outcome.exitCode,
    durationMs: outcome.durationMs,
    diff: null,
    // A background step's output is not compared and its exit status is the `&`'s: it proves nothing.
    proof: annotations['verify-background'] ? ('none' as const) : step.expected || step.afterInterrupt ? ('output' as const) : ('exit-status' as const),
  };

  let comparison: Judged['comparison'] = null;
  let outputHolds = true;
  let diff: string | null = null;
  if (step.expected && !annotations['verify-background']) {
    const patterns = compile(step.expected.lines);
    const alignment = align(patterns, actual, bindings);
    comparison = { patterns, actual, alignment };
    outputHolds = alignment.ok;
    if (!outputHolds) diff = renderDiff(patterns, actual, alignment, { color: false });
  }
  // After `^C`: the interrupted program's last words (ping's statistics, a server's shutdown).
  if (step.afterInterrupt && after && !annotations['verify-background']) {
    const patterns = compile(step.afterInterrupt.lines);
    const alignment = align(patterns, after, bindings);
    if (!alignment.ok) {
      outputHolds = false;
      const afterDiff = `after ^C:\n${renderDiff(patterns, after, alignment, { color: false })}`;
      diff = diff ? `${diff}\n${afterDiff}` : afterDiff;
    }
  }

  if (outcome.endedBy === 'timeout') {
    const msg = `timed out after ${Math.round(timeoutMs / 1000)} s: the command was still running and was stopped with Ctrl-C (annotate \`verify-timeout=N\`, \`verify-background\`, or show \`^C\` where the reader stops it)`;
    return { result: { ...base, status: 'failed', reason: msg, diff }, comparison };
  }
  if (outcome.endedBy === 'exit') {
    return { result: { ...base, status: 'error', reason: 'the lab shell exited unexpectedly', diff }, comparison };
  }
  if (!outputHolds) {
    return { result: { ...base, status: 'failed', reason: 'output differs from the documented output', diff }, comparison };
  }

  const code = outcome.exitCode;
  if (annotations['verify-fails']) {
    if (code === 0) {
      return { result: { ...base, status: 'failed', reason: 'expected to fail (verify-fails) but exited 0', diff }, comparison };
    }
    return { result: { ...base, status: 'passed', reason: null, diff }, comparison };
  }
  // A non-zero exit is drift unless the page shows that very error (and it matched). Output
  // made only of elisions (`...`, `--> salida omitida <--`) shows no error at all.
  const showsError = outputHolds && (comparison?.patterns.some((p) => p.kind === 'line') ?? false);
  if (code !== null && code !== 0 && !step.interrupt && !showsError) {
    return {
      result: { ...base, status: 'failed', reason: `exited with status ${code} and the page documents no such error`, diff },
      comparison,
    };
  }
  return { result: { ...base, status: 'passed', reason: null, diff }, comparison };
}

/** What the terminal showed after Ctrl-C, without the `^C` the terminal itself echoed. */
function afterCtrlC(text: string | null): string[] {
  const lines = toLines((text ?? '').replace(/^\s*\^C/, ''));
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  return lines;
}
