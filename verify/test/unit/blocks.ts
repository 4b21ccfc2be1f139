import type { Block, Expected, Step } from '../../src/model/plan.ts';
import type { SkipCause } from '../../src/model/cause.ts';

// Reading a block's case-specific fields in tests, where a block of the wrong kind should make
// the assertion fail rather than the type checker complain: `null` when the block has no such
// field.

export { stepsOf } from '../../src/model/plan.ts';

/** The Markdown problem of an invalid block. */
export const errorOf = (b: Block | undefined): string | null => (b?.kind === 'invalid' ? b.error : null);

/** Why a block is not run: a display block's cause, or `verify-skip`'s. */
export const skipOf = (b: Block | undefined): SkipCause | null => (b && b.kind !== 'invalid' ? (b.skip ?? null) : null);

/** Where a file block is written. */
export const writeToOf = (b: Block | undefined): string | null => (b?.kind === 'file' ? b.writeTo : null);

/** What the page shows after a step's `^C` (null: not interrupted, or nothing shown). */
export const afterOf = (s: Step | undefined): Expected | null => (s?.outcome.expect === 'interrupted' ? s.outcome.after : null);
