import { z } from 'zod';
import { BlockKindSchema, PromptKindSchema } from './plan.ts';
import { CauseSchema, NoteSchema } from './cause.ts';

// The JSON report (`--report file.json`), read by the site (verification badges) and by CI.
// This schema is its contract: `report.schema.json` is generated from it and documented in
// verify/docs/report.md. Bump `schemaVersion` on any incompatible change.

export const StatusSchema = z.enum(['passed', 'failed', 'skipped', 'error']);
export type Status = z.infer<typeof StatusSchema>;

/** `verify` only reports; `update` also rewrites the documented output of drifted steps. */
export const ModeSchema = z.enum(['verify', 'update']);
export type Mode = z.infer<typeof ModeSchema>;
/** The modes by name (`Mode.update`), from the schema. */
export const Mode = ModeSchema.enum;

/**
 * What a block's verification looks at: `output` (the documented output appeared), `exit-status`
 * (it ran; the page documents no output, so only its exit status counts), `used` (a file the
 * page creates, judged by the step that uses it), `written` (a file no step uses: written only,
 * not checked), `none` (not run, or started in the background: nothing was checked).
 */
export const ProofSchema = z.enum(['output', 'exit-status', 'used', 'written', 'none']);
export type Proof = z.infer<typeof ProofSchema>;

/** What a step's verdict looks at: its documented output, only its exit status, or nothing (background). */
export const StepProofSchema = z.enum(['output', 'exit-status', 'none']);
export type StepProof = z.infer<typeof StepProofSchema>;

/**
 * One row of a diff of documented against actual output (diff/rows.ts makes them; each reporter
 * renders them). `expectedLine`: the 1-based file line of the documented line.
 */
export const DiffRowSchema = z.discriminatedUnion('op', [
  /** A documented line the output has (shown as documented). */
  z.object({ op: z.literal('same'), text: z.string(), expectedLine: z.number().int() }),
  /** A documented line the output lacks. */
  z.object({ op: z.literal('missing'), text: z.string(), expectedLine: z.number().int() }),
  /** An output line the page does not document. */
  z.object({ op: z.literal('extra'), text: z.string() }),
  /** A documented elision (`...`) and how many output lines it stood for. */
  z.object({ op: z.literal('elided'), text: z.string(), expectedLine: z.number().int(), lines: z.number().int() }),
  /** Rows that hold, far from any change: left out, counted. */
  z.object({ op: z.literal('folded'), lines: z.number().int() }),
]);
export type DiffRow = z.infer<typeof DiffRowSchema>;

/** The output a diff is about: the step's, or what the page shows after its `^C`. */
export const DiffSectionSchema = z.object({
  of: z.enum(['output', 'after-interrupt']),
  rows: z.array(DiffRowSchema),
});
export type DiffSection = z.infer<typeof DiffSectionSchema>;

export const StepResultSchema = z.object({
  /** 1-based file line of the command. */
  line: z.number().int(),
  promptKind: PromptKindSchema,
  /** The command as documented. */
  command: z.string(),
  /** The command as typed, after documented IDs were replaced by the real ones. */
  ran: z.string(),
  /** Documented output (null: the page documents none, only the exit status counts). */
  expected: z.string().nullable(),
  /** Output as the terminal showed it (null: the step did not run). */
  actual: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  durationMs: z.number(),
  status: StatusSchema,
  /** Why it got its status, as data (model/cause.ts); null: it passed on its documented output or exit status. */
  cause: CauseSchema.nullable(),
  /** What the harness noticed around it: the lab's limits, an image it could not find. */
  notes: z.array(NoteSchema),
  /** Documented against actual output, as rows, for each part that differs (null: none does). */
  diff: z.array(DiffSectionSchema).nullable(),
  /** `exit-status`: the page documents no output for it (a pass means "ran, output not documented"). */
  proof: StepProofSchema,
});
export type StepResult = z.infer<typeof StepResultSchema>;

export const BlockResultSchema = z.object({
  /** Path of the Markdown file, relative to the working directory of the run. */
  file: z.string(),
  /** 1-based line of the opening fence. */
  line: z.number().int(),
  /** The block's identity (model/block-id.ts), how the snapshot and the site find it: its content digest… */
  digest: z.string(),
  /** …and its order among the page's blocks with that digest (0: the first). */
  occurrence: z.number().int(),
  lang: z.string(),
  kind: BlockKindSchema,
  title: z.string().nullable(),
  status: StatusSchema,
  /** Why it got its status, as data: its first step's that has one, or the block's own (a skip, a file's use). */
  cause: CauseSchema.nullable(),
  /** What the harness noticed around it (its steps', and on the reader's path the lesson that left the state). */
  notes: z.array(NoteSchema),
  durationMs: z.number(),
  steps: z.array(StepResultSchema),
  proof: ProofSchema,
  /** A file block: the first step that used it, whose status it took (null: no step used it). */
  usedBy: z.object({ line: z.number().int(), command: z.string() }).nullable(),
  /**
   * The reader's Docker it ran on (e.g. 28.5.2+dfsg4). Set by `npm run verify:merge`, whose report
   * can hold the same block once per engine; a single run says it once, in run.readerEngine.
   */
  docker: z.string().optional(),
});
export type BlockResult = z.infer<typeof BlockResultSchema>;

/** A block as the report gives it: its result, and when and whether this run really ran it. */
export const ReportBlockSchema = BlockResultSchema.extend({
  /** True when the result was taken from an earlier run of the same inputs (cache/), not run now. */
  reused: z.boolean(),
  /** When the block really ran (for a reused block: in the earlier run; for one that cannot run: now). */
  verifiedAt: z.iso.datetime(),
});
export type ReportBlock = z.infer<typeof ReportBlockSchema>;

/** A result this run produced just now. */
export function ranNow(result: BlockResult, at: Date = new Date()): ReportBlock {
  return { ...result, reused: false, verifiedAt: at.toISOString() };
}

/** Where an image of the run came from: a registry, or a stand-in built offline (engine/images.ts). */
export const ImageProvenanceSchema = z.object({
  ref: z.string(),
  source: z.enum(['registry', 'stand-in']),
  /** Human-readable: how the image was obtained or built. */
  how: z.string(),
  /** Image id (sha256:…) on the host engine. */
  id: z.string().nullable(),
  /** Stand-ins: "package=version …" of the Debian packages that matter inside (absent for registry images). */
  packages: z.string().optional(),
});
export type ImageProvenance = z.infer<typeof ImageProvenanceSchema>;

/** The engine the page's commands ran on: the lab's, i.e. the reader's machine. */
export const ReaderEngineSchema = z.object({
  /** `docker version --format '{{.Server.Version}}'` in a lab, e.g. 28.5.2+dfsg4. */
  docker: z.string(),
  /** `docker buildx version`, e.g. v0.29.1. */
  buildx: z.string(),
  /** `docker compose version --short`, e.g. 2.40.3. */
  compose: z.string(),
  /** The Debian suite the lab comes from. */
  suite: z.string(),
});
export type ReaderEngine = z.infer<typeof ReaderEngineSchema>;

export const SummarySchema = z.object({
  passed: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  error: z.number().int(),
  total: z.number().int(),
});
export type Summary = z.infer<typeof SummarySchema>;

/**
 * 2: diffs are rows (`DiffSection`), and a block that cannot be read has `kind: "invalid"`.
 * 3: verdicts are data: `cause` and `notes` (model/cause.ts) instead of the English `reason`.
 * 4: each block carries its whole identity: `occurrence` beside `digest`.
 */
export const REPORT_SCHEMA_VERSION = 4;

export const ReportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  run: z.object({
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
    durationMs: z.number(),
    mode: ModeSchema,
    argv: z.array(z.string()),
    engine: z.object({ version: z.string(), apiVersion: z.string(), os: z.string(), host: z.string() }).nullable(),
    client: z.object({ version: z.string() }).nullable(),
    /** The reader's engine (inside the labs); `engine` above is the host engine the labs run on. */
    readerEngine: ReaderEngineSchema.nullable().optional(),
    /** A merged report (verify:merge): every reader's engine of the reports it merged, the default one first. */
    readerEngines: z.array(ReaderEngineSchema).optional(),
    images: z.array(ImageProvenanceSchema),
    /** Why the run could not start or finish (engine unavailable…), if it could not. */
    fatal: z.string().nullable(),
    /**
     * `path`: each locale's lessons ran in course order in one lab, as one reader follows them
     * (`--path`); absent or `pages`: each page ran alone in a lab of its own.
     */
    scope: z.enum(['pages', 'path']).optional(),
  }),
  summary: SummarySchema,
  blocks: z.array(ReportBlockSchema),
});
export type Report = z.infer<typeof ReportSchema>;

export function summarize(blocks: Pick<BlockResult, 'status'>[]): Summary {
  const s = { passed: 0, failed: 0, skipped: 0, error: 0, total: blocks.length };
  for (const b of blocks) s[b.status]++;
  return s;
}

/** What a session block's verdict looks at, from its steps'. */
export function sessionProof(steps: readonly Pick<StepResult, 'proof'>[]): Proof {
  if (steps.some((s) => s.proof === 'output')) return 'output';
  if (steps.some((s) => s.proof === 'exit-status')) return 'exit-status';
  return 'none';
}

/** The worst status wins: an error hides what it stopped from running, a failure is drift. */
export function worst(statuses: Status[]): Status {
  for (const s of ['error', 'failed', 'passed', 'skipped'] as const) if (statuses.includes(s)) return s;
  return 'passed';
}
