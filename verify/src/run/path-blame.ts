import type { Block } from '../model/plan.ts';
import { stepsOf } from '../model/plan.ts';
import type { BlockResult } from '../model/report.ts';
import { withNote } from '../model/results.ts';

// On a reader's path a block can fail only because an earlier lesson left something behind: a
// container with the same name, an image in a listing, a folder. This says which lesson, so the
// maintainer knows where the cleanup belongs. Pure.

/** What a command creates that a later lesson can trip on: containers, images, networks, volumes. */
const CREATES: readonly RegExp[] = [
  /--name[ =]([\w.-]+)/g,
  /\bbuild\b[^\n]*?(?:-t|--tag)[ =]([\w./-]+)(?::[\w.-]+)?/g,
  /\b(?:commit|tag)\s+(?:-\S+\s+)*\S+\s+([\w./-]+)(?::[\w.-]+)?/g,
  /\bnetwork create\s+(?:-\S+(?:\s+\S+)?\s+)*([\w.-]+)/g,
  /\bvolume create\s+(?:-\S+(?:\s+\S+)?\s+)*([\w.-]+)/g,
];

export interface Creation {
  name: string;
  file: string;
  line: number;
}

/** The names the steps of `blocks` create, each with the step that last created it. */
export function creations(blocks: readonly Block[]): Map<string, Creation> {
  const out = new Map<string, Creation>();
  for (const block of blocks) {
    for (const step of stepsOf(block)) {
      for (const re of CREATES) {
        for (const m of step.command.matchAll(re)) out.set(m[1]!, { name: m[1]!, file: block.file, line: step.line });
      }
    }
  }
  return out;
}

/**
 * For a block that failed on the path: the first name an earlier lesson created that shows in
 * what the reader saw and the page did not document (its extra lines, or the error it printed),
 * and that the block's own lesson never creates before it. Null when nothing points back.
 */
export function earlierCause(result: BlockResult, before: readonly Block[]): Creation | null {
  if (result.status !== 'failed') return null;
  const ownLesson = before.filter((b) => b.file === result.file);
  const own = creations(ownLesson);
  const earlier = creations(before.filter((b) => b.file !== result.file));
  const seen: string[] = [];
  for (const step of result.steps) {
    if (step.status !== 'failed') continue;
    for (const section of step.diff ?? []) for (const row of section.rows) if (row.op === 'extra') seen.push(row.text);
    if (step.actual && step.exitCode !== 0) seen.push(step.actual);
  }
  for (const text of seen) {
    for (const [name, at] of earlier) {
      if (own.has(name)) continue;
      if (new RegExp(`(?<![\\w.-])/?${RegExp.escape(name)}(?![\\w-])`).test(text)) return at;
    }
  }
  return null;
}

/** The reason of a block that failed on the path, with the earlier lesson that left the state. */
export function explainOnPath(before: readonly Block[], result: BlockResult): BlockResult {
  const cause = earlierCause(result, before);
  if (!cause) return result;
  return withNote(result, { kind: 'left-by-earlier-lesson', name: cause.name, file: cause.file, line: cause.line });
}
