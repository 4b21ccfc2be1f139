import posix from 'node:path/posix';
import { z } from 'zod';
import { AnnotationsSchema } from './annotations.ts';
import { SkipCauseSchema } from './cause.ts';

// What the harness will do with a page, read from its Markdown before anything runs. Every
// case is its own shape: a caller switches on `kind` (blocks) or `expect` (outcomes) and never
// has to assert that a field it needs is there.

/**
 * Whose prompt a step is typed at: the reader's shell (`$`), a shell inside a container
 * (`root@…#`), Python's REPL (`>>>`), or none (a block of commands without prompts).
 */
export const PromptKindSchema = z.enum(['host', 'container', 'python', 'none']);
export type PromptKind = z.infer<typeof PromptKindSchema>;
/** The prompts a page can show (extract/prompts.ts recognises them). */
export type ShownPromptKind = Exclude<PromptKind, 'none'>;

/** Documented output of a step, with where it sits in the file (for --update). */
export const ExpectedSchema = z.object({
  lines: z.array(z.string()),
  /** 1-based file lines of the first and last documented output line. */
  startLine: z.number().int(),
  endLine: z.number().int(),
});
export type Expected = z.infer<typeof ExpectedSchema>;

/**
 * How a step is expected to end, decided when the page is read (extract/outcome.ts) and judged
 * by run/judge.ts. The documented output is compared in every case; this says which exit
 * statuses hold.
 */
export const OutcomeSchema = z.discriminatedUnion('expect', [
  /** Exits 0 (or ends at an interactive prompt, where there is no exit status). */
  z.object({ expect: z.literal('succeeds') }),
  /** The page shows the error it ends with: any exit status holds, as long as that output appears. */
  z.object({ expect: z.literal('as-documented') }),
  /** Exits with a non-zero status (`verify-fails`). */
  z.object({ expect: z.literal('fails') }),
  /** Exits with this very status (`verify-fails=N`). */
  z.object({ expect: z.literal('exit'), code: z.number().int() }),
  /**
   * The reader stops it with Ctrl-C (`^C` on the page), so how it exits says nothing. `after`:
   * what the page shows after `^C` (the program's last words), compared like output; null when
   * the page shows nothing there.
   */
  z.object({ expect: z.literal('interrupted'), after: ExpectedSchema.nullable() }),
]);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const StepSchema = z.object({
  /** 1-based file line of the command's first line. */
  line: z.number().int(),
  promptKind: PromptKindSchema,
  prompt: z.string(),
  /** What is typed; continuation lines joined with `\n`. Empty means "press Enter". */
  command: z.string(),
  /** `null` when the page documents no output for this step: only its exit status counts. */
  expected: ExpectedSchema.nullable(),
  outcome: OutcomeSchema,
  /** The prompt the reader sees when the step is done (`null`: end of block, whichever comes). */
  until: PromptKindSchema.nullable(),
});
export type Step = z.infer<typeof StepSchema>;

const BlockBaseSchema = z.object({
  file: z.string(),
  /** 1-based line of the opening fence. */
  line: z.number().int(),
  endLine: z.number().int(),
  /** The block's identity (model/block-id.ts): its content digest… */
  digest: z.string(),
  /** …and its order among the page's blocks with that digest. */
  occurrence: z.number().int(),
  lang: z.string(),
  meta: z.string(),
  title: z.string().nullable(),
  annotations: AnnotationsSchema,
  /** The block's text with its common indentation removed. */
  code: z.string(),
  /**
   * What stands before each line of the block's text in the file: the list or quote it sits in
   * and the common indentation `code` lost. --update writes new lines with it.
   */
  indent: z.string(),
  /**
   * How the block's content was read when its fence's language alone did not decide: a
   * Dockerfile or a Compose file in a `bash` fence, output shown without its command, commands
   * with their output but no prompts, an annotation (`verify-as`). `null`: the fence decided.
   */
  recognised: z.string().nullable(),
});

/** Commands typed in the page's shell, step by step. */
export const SessionBlockSchema = BlockBaseSchema.extend({
  kind: z.literal('session'),
  steps: z.array(StepSchema),
  /** `verify-skip="why"`: read, but not run. */
  skip: SkipCauseSchema.optional(),
});

/** A file the page has the reader create; judged by the first step that uses it. */
export const FileBlockSchema = BlockBaseSchema.extend({
  kind: z.literal('file'),
  /** Where the content is written, relative to the session's directory. */
  writeTo: z.string(),
  /** `verify-skip="why"`: read, but not written. */
  skip: SkipCauseSchema.optional(),
});

/** Shown to the reader, never run: output without its command, a snippet, a file with no name. */
export const DisplayBlockSchema = BlockBaseSchema.extend({
  kind: z.literal('display'),
  /** Why it is not run. */
  skip: SkipCauseSchema,
});

/** A problem in the Markdown itself (bad annotation, output before any prompt, unclosed fence…). */
export const InvalidBlockSchema = BlockBaseSchema.extend({
  kind: z.literal('invalid'),
  error: z.string(),
});

export const BlockSchema = z.discriminatedUnion('kind', [SessionBlockSchema, FileBlockSchema, DisplayBlockSchema, InvalidBlockSchema]);
export type Block = z.infer<typeof BlockSchema>;
export type SessionBlock = z.infer<typeof SessionBlockSchema>;
export type FileBlock = z.infer<typeof FileBlockSchema>;
export type DisplayBlock = z.infer<typeof DisplayBlockSchema>;
export type InvalidBlock = z.infer<typeof InvalidBlockSchema>;

export const BlockKindSchema = z.enum(['session', 'file', 'display', 'invalid']);
export type BlockKind = z.infer<typeof BlockKindSchema>;

/** A block the harness runs (a session) or writes (a file): one that `verify-skip` does not skip. */
export type RunnableBlock = (SessionBlock | FileBlock) & { skip?: undefined };

export function isRunnable(block: Block): block is RunnableBlock {
  return (block.kind === 'session' || block.kind === 'file') && block.skip === undefined;
}

/** The steps a block types: a session's, none for any other kind. */
export function stepsOf(block: Block): readonly Step[] {
  return block.kind === 'session' ? block.steps : [];
}

/** Where a file block is written in the lab, when the shell's directory is `cwd`. */
export function writtenPath(block: Pick<FileBlock, 'writeTo'>, cwd: string): string {
  return posix.isAbsolute(block.writeTo) ? posix.normalize(block.writeTo) : posix.join(cwd, block.writeTo);
}

export const PageSchema = z.object({
  file: z.string(),
  blocks: z.array(BlockSchema),
});
export type Page = z.infer<typeof PageSchema>;
