import { z } from 'zod';
import { AnnotationsSchema } from './annotations.ts';

// What the harness will do with a page, read from its Markdown before anything runs.

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

export const StepSchema = z.object({
  /** 1-based file line of the command's first line. */
  line: z.number().int(),
  promptKind: PromptKindSchema,
  prompt: z.string(),
  /** What is typed; continuation lines joined with `\n`. Empty means "press Enter". */
  command: z.string(),
  /** `null` when the page documents no output for this step: only its exit status counts. */
  expected: ExpectedSchema.nullable(),
  /** The page shows `^C` after this step's output: the reader interrupts it. */
  interrupt: z.boolean(),
  /**
   * What the page shows after `^C`: the interrupted program's last words (ping's statistics, a
   * server's shutdown log). `null` when the page shows nothing there (nothing is compared).
   */
  afterInterrupt: ExpectedSchema.nullable(),
  /** The prompt the reader sees when the step is done (`null`: end of block, whichever comes). */
  until: PromptKindSchema.nullable(),
});
export type Step = z.infer<typeof StepSchema>;

export const BlockKindSchema = z.enum(['session', 'file', 'display']);
export type BlockKind = z.infer<typeof BlockKindSchema>;

export const BlockSchema = z.object({
  file: z.string(),
  /** 1-based line of the opening fence. */
  line: z.number().int(),
  endLine: z.number().int(),
  /** The block's identity by content (model/digest.ts). */
  digest: z.string(),
  lang: z.string(),
  meta: z.string(),
  kind: BlockKindSchema,
  title: z.string().nullable(),
  annotations: AnnotationsSchema,
  /** The block's text with its common indentation removed. */
  code: z.string(),
  /**
   * How the block's content was read when its fence's language alone did not decide: a
   * Dockerfile or a Compose file in a `bash` fence, output shown without its command, commands
   * with their output but no prompts, an annotation (`verify-as`). `null`: the fence decided.
   */
  recognised: z.string().nullable(),
  /** Why the block will not run (display-only, or `verify-skip`). */
  skipReason: z.string().nullable(),
  /** A problem in the Markdown itself (bad annotation, output before any prompt…). */
  error: z.string().nullable(),
  /** For `file` blocks: where the content is written, relative to the session's directory. */
  writeTo: z.string().nullable(),
  steps: z.array(StepSchema),
});
export type Block = z.infer<typeof BlockSchema>;

export const PageSchema = z.object({
  file: z.string(),
  blocks: z.array(BlockSchema),
});
export type Page = z.infer<typeof PageSchema>;
