import { VOLATILE } from '../match/pattern.ts';
import { normalizeLine } from '../normalize/text.ts';

// `--update --dry-run`: is a change to a step's documented output worth a reviewer's eye? It is
// `cosmetic` when the old and new lines differ only in values that change on every run (IDs,
// digests, dates, relative times, sizes, in any of their written forms), `meaningful` otherwise:
// a line added, removed or reworded. Pure.

export type ChangeKind = 'cosmetic' | 'meaningful';

const ANY_VOLATILE = new RegExp(VOLATILE.map((v) => `(?:${v.source})`).join('|'), 'g');

/** A line with every volatile value replaced by one placeholder, spaces normalised. */
function masked(line: string): string {
  return normalizeLine(line).replace(ANY_VOLATILE, '\u0000');
}

export function classifyChange(before: readonly string[], after: readonly string[]): ChangeKind {
  if (before.length !== after.length) return 'meaningful';
  return before.every((b, i) => masked(b) === masked(after[i]!)) ? 'cosmetic' : 'meaningful';
}
