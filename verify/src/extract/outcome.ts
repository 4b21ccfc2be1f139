import { isElision } from '../match/pattern.ts';
import type { Annotations } from '../model/annotations.ts';
import type { Expected, Outcome } from '../model/plan.ts';

// How a step is expected to end, from what the page says: a `^C` after it (the reader stops
// it), the block's `verify-fails`, or documented output that shows the error it ends with.
// Decided once, when the page is read, so the verdict (run/judge.ts) only reads it. Pure.

export interface StepEnding {
  expected: Expected | null;
  /** The page shows `^C` after the step's output. */
  interrupt: boolean;
  /** What it shows after `^C` (null: nothing). */
  after: Expected | null;
}

export function stepOutcome(step: StepEnding, annotations: Pick<Annotations, 'verify-fails' | 'verify-background'>): Outcome {
  // Ctrl-C ends it, so its exit status is the signal's: `verify-fails` cannot say anything about it.
  if (step.interrupt) return { expect: 'interrupted', after: step.after };
  const fails = annotations['verify-fails'];
  if (fails === true) return { expect: 'fails' };
  if (fails !== undefined) return { expect: 'exit', code: fails };
  // A non-zero exit holds when the page shows that very error. Output made only of elisions
  // (`...`, `--> salida omitida <--`) shows no error at all, and a background step's output is
  // never compared.
  if (step.expected && !annotations['verify-background'] && step.expected.lines.some((l) => !isElision(l)))
    return { expect: 'as-documented' };
  return { expect: 'succeeds' };
}
