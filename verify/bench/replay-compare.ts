import { align } from '../src/match/align.ts';
import { Bindings } from '../src/match/bindings.ts';
import { compile, VOLATILE } from '../src/match/pattern.ts';
import { normalizeLine, toLines } from '../src/normalize/text.ts';
import type { ReplayStep } from './replay-script.ts';
import type { ReplayOutput } from './replay-transcript.ts';

// Did the replay do the same work as the harness? Each replayed step's output against what the
// harness captured for it, with the harness's own matcher (match/): the harness's lines are the
// pattern, so values that change on every run (IDs, digests, dates, relative times, sizes) match
// any value of their kind. Pure.

const ELIDE = '...';
/**
 * Beyond the harness's volatile values: how long something took (`Building 53.0s`, `DONE 0.3s`),
 * which the page never documents but a build's progress shows, and which differs on every run.
 */
const DURATION = /(?<![\w.])\d+(?:\.\d+)?s(?!\w)/g;
const lines = (text: string) => toLines(text).map((l) => l.replace(DURATION, '0s'));
const ANY_VOLATILE = new RegExp(VOLATILE.map((v) => `(?:${v.source})`).join('|'), 'g');

export interface Divergence {
  file: string;
  line: number;
  why: string;
  /** A few lines of each side, from the first that differs. */
  harness: string[];
  replay: string[];
}

/**
 * The replay printed what the harness saw: line by line modulo volatile values (and durations); or the same
 * words (a table or `ls` laid out to another width); or the same lines in another order (a
 * build's steps that ran at once); or, where the harness's step passed on its
 * documented output, that output too (a random container name the page elides with `[..]`).
 */
export function sameOutput(harness: string, replay: string, documented: readonly string[] | null): boolean {
  const h = lines(harness);
  const r = lines(replay);
  if (align(compile(h), r, new Bindings()).ok) return true;
  if (words(h).join(' ') === words(r).join(' ')) return true;
  // A build's steps that ran at once are listed in the order they ended.
  if (sorted(h).join('\n') === sorted(r).join('\n')) return true;
  return documented !== null && align(compile([...documented]), toLines(replay), new Bindings()).ok;
}

/** The harness's lines appear in the replay in this order, anything around and between them (a whole terminal session). */
export function containsInOrder(parts: readonly string[], replay: string): boolean {
  const patterns = [ELIDE, ...parts.flatMap((p) => [...lines(p).filter((l) => l.trim() !== '' && l.trim() !== ELIDE), ELIDE])];
  return align(compile(patterns), lines(replay), new Bindings()).ok;
}

/** The first step the replay did not do as the harness did, or null. */
export function firstDivergence(steps: readonly ReplayStep[], outputs: ReadonlyMap<number, ReplayOutput>): Divergence | null {
  for (const s of steps) {
    const h = s.harness;
    if (s.kind === 'background' || s.kind === 'timed-out') continue;
    const r = outputs.get(s.n);
    const at = { file: s.file, line: s.line };
    if (!r) return { ...at, why: 'the replay never reached this step', harness: excerpt(h.actual ?? ''), replay: [] };
    if (s.kind === 'terminal') {
      const parts = [h.actual ?? '', ...s.typed.map((t) => t.actual ?? '')];
      if (!containsInOrder(parts, r.output))
        return { ...at, why: 'its terminal session did not show what the harness saw', ...sides(parts.join('\n'), r.output) };
      continue;
    }
    if (s.kind === 'interrupted') {
      // Stopped after as long as the harness let it run: what the harness saw, then perhaps more.
      if (!containsInOrder([h.actual ?? ''], r.output) && !sameOutput(h.actual ?? '', r.output, s.documented))
        return { ...at, why: 'it printed something else before Ctrl-C', ...sides(h.actual ?? '', r.output) };
      continue;
    }
    if (h.exitCode !== null && r.exitCode !== h.exitCode)
      return { ...at, why: `it exited ${r.exitCode ?? '(never)'}, the harness's ${h.exitCode}`, ...sides(h.actual ?? '', r.output) };
    if (!sameOutput(h.actual ?? '', r.output, s.documented))
      return { ...at, why: 'its output differs', ...sides(h.actual ?? '', r.output) };
  }
  return null;
}

function sorted(lines: readonly string[]): string[] {
  return lines
    .map(masked)
    .filter((l) => l !== '')
    .sort();
}

function masked(line: string): string {
  return normalizeLine(line).replace(ANY_VOLATILE, '\u0000');
}

function words(lines: readonly string[]): string[] {
  return lines.flatMap((l) => masked(l).split(' ').filter(Boolean));
}

/** Up to `n` lines of each side, from the first line where they differ (volatile values aside). */
function sides(harness: string, replay: string, n = 4): { harness: string[]; replay: string[] } {
  const h = lines(harness);
  const r = lines(replay);
  let k = 0;
  while (k < h.length && k < r.length && masked(h[k]!) === masked(r[k]!)) k++;
  return { harness: h.slice(k, k + n), replay: r.slice(k, k + n) };
}

function excerpt(text: string, n = 4): string[] {
  return toLines(text).slice(0, n);
}
