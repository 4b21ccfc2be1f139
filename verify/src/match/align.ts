import { normalizeLine } from '../normalize/text.ts';
import type { Bindings } from './bindings.ts';
import type { LinePattern } from './pattern.ts';

// Aligns documented lines (compiled patterns) with actual output lines. One alignment serves
// three purposes: the verdict (does every line match, in order?), the diff shown to the
// maintainer, and the rewrite done by --update.

export type Op =
  | { op: 'match'; e: number; a: number }
  | { op: 'elide'; e: number; a: number[] }
  | { op: 'missing'; e: number }
  | { op: 'extra'; a: number };

export interface Alignment {
  ok: boolean;
  ops: Op[];
  /** The bindings with those this alignment made (the ones given, unchanged, when it failed). */
  bindings: Bindings;
}

/**
 * Minimum-edit alignment where a pattern line matching an actual line costs 0, an elision
 * absorbs any number of actual lines for free, and a missing or extra line costs 1. Bindings
 * are then checked in document order along the chosen path. Pure: the bindings given are never
 * changed; a successful alignment returns them with its new ones.
 */
export function align(patterns: LinePattern[], actualLines: string[], bindings: Bindings): Alignment {
  const actual = actualLines.map(normalizeLine);
  const P = patterns.length;
  const A = actual.length;
  const fits = patterns.map((p) => (p.kind === 'line' ? actual.map((a) => p.regex.test(a)) : null));
  const cost: number[][] = Array.from({ length: P + 1 }, () => new Array<number>(A + 1).fill(0));
  for (let i = P; i >= 0; i--) {
    for (let j = A; j >= 0; j--) {
      if (i === P && j === A) continue;
      let best = Infinity;
      const p = patterns[i];
      if (p?.kind === 'elision') {
        best = Math.min(best, cost[i + 1]![j]!);
        if (j < A) best = Math.min(best, cost[i]![j + 1]!);
      } else if (p) {
        if (j < A && fits[i]![j]) best = Math.min(best, cost[i + 1]![j + 1]!);
        best = Math.min(best, 1 + cost[i + 1]![j]!);
      }
      if (j < A) best = Math.min(best, 1 + cost[i]![j + 1]!);
      cost[i]![j] = best;
    }
  }

  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  let elided: number[] | null = null;
  while (i < P || j < A) {
    const p = patterns[i];
    const here = cost[i]![j]!;
    if (p?.kind === 'elision') {
      elided ??= [];
      if (cost[i + 1]![j] === here) {
        ops.push({ op: 'elide', e: i, a: elided });
        elided = null;
        i++;
      } else {
        elided.push(j);
        j++;
      }
      continue;
    }
    if (p && j < A && fits[i]![j] && cost[i + 1]![j + 1] === here) {
      ops.push({ op: 'match', e: i, a: j });
      i++;
      j++;
    } else if (p && 1 + cost[i + 1]![j]! === here) {
      ops.push({ op: 'missing', e: i });
      i++;
    } else {
      ops.push({ op: 'extra', a: j });
      j++;
    }
  }

  // Bindings are checked in document order along the path; a line that contradicts an
  // earlier binding (same documented ID, another real one) is shown as changed.
  let ok = cost[0]![0] === 0;
  const trial = bindings.clone();
  const checked: Op[] = [];
  for (const op of ops) {
    const p = op.op === 'match' ? patterns[op.e]! : null;
    if (op.op !== 'match' || p?.kind !== 'line' || p.ids.length === 0) {
      checked.push(op);
      continue;
    }
    const attempt = trial.clone();
    const m = p.regex.exec(actual[op.a]!)!;
    if (p.ids.every((doc, k) => attempt.accept(doc, m[k + 1]!))) {
      trial.entries.splice(0, trial.entries.length, ...attempt.entries);
      checked.push(op);
    } else {
      ok = false;
      checked.push({ op: 'missing', e: op.e }, { op: 'extra', a: op.a });
    }
  }
  return { ok, ops: checked, bindings: ok ? trial : bindings };
}
