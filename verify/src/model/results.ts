import type { Cause, CauseOf, Note } from './cause.ts';
import type { Block } from './plan.ts';
import { sessionProof, worst, type BlockResult, type StepResult } from './report.ts';

// The one place block results are made: each kind of result by its constructor, so a result's
// fields, its cause and its notes always agree. Pure.

type BlockRef = Pick<Block, 'file' | 'line' | 'digest' | 'occurrence' | 'lang' | 'kind' | 'title'>;

function base(block: BlockRef, durationMs = 0) {
  const { file, line, digest, occurrence, lang, kind, title } = block;
  return {
    file,
    line,
    digest,
    occurrence,
    lang,
    kind,
    title,
    durationMs,
    steps: [] as StepResult[],
    proof: 'none' as const,
    usedBy: null,
    notes: [] as Note[],
  };
}

/** A block that does not run: shown only, skipped by its author. */
export function skippedResult(block: BlockRef, cause: CauseOf<'author-skip' | 'display' | 'shown-output'>): BlockResult {
  return { ...base(block), status: 'skipped', cause };
}

/** A block about which nothing could be said: unreadable, never run, its lab gone. */
export function errorResult(block: BlockRef, cause: Cause, durationMs = 0): BlockResult {
  return { ...base(block, durationMs), status: 'error', cause };
}

/** The result of a block that does not run: display-only, skipped, or unreadable (null: it runs). */
export function staticResult(block: Block): BlockResult | null {
  if (block.kind === 'invalid') return errorResult(block, { kind: 'unreadable', problem: `${block.file}:${block.line}: ${block.error}` });
  if (block.skip !== undefined) return skippedResult(block, block.skip);
  return null;
}

/** A file block written to `path`, waiting for the step that uses it. */
export function writtenResult(block: BlockRef, path: string, durationMs: number): BlockResult {
  return { ...base(block, durationMs), status: 'passed', proof: 'written', cause: { kind: 'written', path } };
}

/**
 * A session block from its steps: the worst status wins, and the block's cause is that of its
 * first step with that status (a block with no steps passed: nothing in it could fail).
 */
export function sessionResult(block: BlockRef, steps: StepResult[], durationMs: number): BlockResult {
  const status = steps.length === 0 ? 'passed' : worst(steps.map((s) => s.status));
  const cause = steps.find((s) => s.status === status && s.cause)?.cause ?? null;
  const notes = dedupe(steps.flatMap((s) => s.notes));
  return { ...base(block, durationMs), status, cause, notes, steps, proof: sessionProof(steps) };
}

/** A result with a further note (the lab's limits, a missing image, the lesson that left the state). */
export function withNote<T extends { notes: Note[] }>(result: T, note: Note): T {
  return { ...result, notes: dedupe([...result.notes, note]) };
}

function dedupe(notes: Note[]): Note[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const k = JSON.stringify(n);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
