import { z } from 'zod';

// Why a block or a step got its verdict, as data. The harness never writes a verdict as a
// sentence: each edge words these in its own language (report/cause-words.ts in English for
// the terminal, JUnit and CI summaries; src/verification/cause-texts.ts in the page's locale
// for the site). A new kind is a compile error at every edge until it has words there.

const line = z.number().int();

/** The exit status a step was expected to end with. */
export const ExpectedExitSchema = z.union([z.literal('success'), z.literal('failure'), z.number().int()]);
export type ExpectedExit = z.infer<typeof ExpectedExitSchema>;

/** What a Markdown block looks like when it is shown but not run (extract/recognise.ts). */
export const LooksLikeSchema = z.enum(['dockerfile', 'compose', 'yaml', 'json']);

export const CauseSchema = z.discriminatedUnion('kind', [
  // ── skipped: the block does not run ──
  /** `verify-skip="why"`: the author's own words, in the page's language. */
  z.object({ kind: z.literal('author-skip'), text: z.string() }),
  /** Shown, never run: `verify-as=display`, or a block that is neither commands nor a named file. */
  z.object({ kind: z.literal('display'), annotated: z.boolean(), lang: z.string(), looksLike: LooksLikeSchema.nullable() }),
  /** Output shown without the command that prints it. */
  z.object({ kind: z.literal('shown-output'), annotated: z.boolean() }),

  // ── passed, with less proof than "the documented output appeared" ──
  /** A file the page creates, written to `path` in the lab (its verdict is still to come). */
  z.object({ kind: z.literal('written'), path: z.string() }),
  /** A file block judged by the first step that uses it. */
  z.object({ kind: z.literal('checked-by'), line, command: z.string() }),
  /** A file no step used before it was overwritten (`line`), replaced by a command (`line`), or at all. */
  z.object({
    kind: z.literal('written-only'),
    path: z.string(),
    why: z.enum(['unused', 'overwritten', 'replaced']),
    line: line.nullable(),
  }),

  // ── failed: what the page documents no longer holds ──
  z.object({ kind: z.literal('output-differs') }),
  z.object({ kind: z.literal('exit-status'), expected: ExpectedExitSchema, actual: z.number().int() }),
  z.object({ kind: z.literal('timeout'), seconds: z.number() }),
  /** A step of an interactive session (`prompt`) that is not open. */
  z.object({ kind: z.literal('session-closed'), prompt: z.string() }),
  /**
   * A file block whose first use did not hold. `at`: where a build's error points inside the
   * file (BuildKit's `Dockerfile:2`), as the page's line.
   */
  z.object({
    kind: z.literal('use-failed'),
    line,
    command: z.string(),
    judged: z.enum(['failed', 'error']),
    at: z.object({ line, where: z.string(), error: z.string().nullable() }).nullable(),
  }),

  // ── error: nothing could be said about the page ──
  /** The Markdown block cannot be read as the harness reads it (the problem, for its author). */
  z.object({ kind: z.literal('unreadable'), problem: z.string() }),
  /** `page.md:LINE` names no block. */
  z.object({ kind: z.literal('no-block') }),
  z.object({ kind: z.literal('shell-exited') }),
  /** The file block could not be written in the lab. */
  z.object({ kind: z.literal('write-failed'), path: z.string(), message: z.string() }),
  /** The run stopped before this block (`fatal`: why, as the engine layer tells it). */
  z.object({ kind: z.literal('not-run'), fatal: z.string().nullable() }),
  /** The Docker engine stopped answering while the page ran. */
  z.object({ kind: z.literal('engine-stopped') }),
  /** The lab died under the page (`oomKilled`: at its memory limit). */
  z.object({ kind: z.literal('lab-died'), oomKilled: z.boolean(), exitCode: z.number().int().nullable(), memoryGiB: z.number() }),
  /** `--update` could not write the page. */
  z.object({ kind: z.literal('not-updated'), message: z.string() }),
  /**
   * The step failed because of the machine, not the page: a registry refusing or rate-limiting
   * pulls, the network, a full disk, the Docker engine (run/infrastructure.ts). `evidence`: the
   * output line that says so.
   */
  z.object({ kind: z.literal('infrastructure'), fault: z.enum(['rate-limit', 'network', 'disk', 'engine']), evidence: z.string() }),
]);
export type Cause = z.infer<typeof CauseSchema>;
export type CauseKind = Cause['kind'];
export type CauseOf<K extends CauseKind> = Extract<Cause, { kind: K }>;

/** Why a block is not run: the causes a skipped block can have. */
export type SkipCause = CauseOf<'author-skip' | 'display' | 'shown-output'>;
export const SkipCauseSchema = z.discriminatedUnion('kind', [CauseSchema.options[0], CauseSchema.options[1], CauseSchema.options[2]]);

/** A further fact about a verdict that is not its cause: what the harness noticed around it. */
export const NoteSchema = z.discriminatedUnion('kind', [
  /** The lab hit its limits since `since` (a step's line; null: since the page began). */
  z.object({
    kind: z.literal('lab-limits'),
    oomKills: z.number().int(),
    forkRefusals: z.number().int(),
    memoryGiB: z.number(),
    pids: z.number().int(),
    since: line.nullable(),
  }),
  /** The lab itself died (its Docker engine or shell killed; `oomKilled`: at its memory limit). */
  z.object({
    kind: z.literal('lab-died'),
    oomKilled: z.boolean(),
    exitCode: z.number().int().nullable(),
    memoryGiB: z.number(),
    since: line.nullable(),
  }),
  /** The step could not find `image`; the stand-ins the harness has. */
  z.object({ kind: z.literal('missing-image'), image: z.string(), standIns: z.array(z.string()) }),
  /** On the reader's path: `name` was left by an earlier lesson's block. */
  z.object({ kind: z.literal('left-by-earlier-lesson'), name: z.string(), file: z.string(), line }),
]);
export type Note = z.infer<typeof NoteSchema>;
export type NoteKind = Note['kind'];

/** Every cause kind, for the edges' tests that each has words. */
export const CAUSE_KINDS = CauseSchema.options.map((o) => o.shape.kind.value) as CauseKind[];
export const NOTE_KINDS = NoteSchema.options.map((o) => o.shape.kind.value) as NoteKind[];

/** The lab's limits as the harness reads them (engine/limits.ts), before they become a note or a cause. */
export type LabLimitReading =
  | { kind: 'lab-limits'; oomKills: number; forkRefusals: number; memoryGiB: number; pids: number }
  | { kind: 'lab-died'; oomKilled: boolean; exitCode: number | null; memoryGiB: number };

/** The note a limit reading adds to a failing step. */
export function limitNote(r: LabLimitReading, since: number | null): Note {
  return { ...r, since };
}
