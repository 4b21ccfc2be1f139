import { z } from 'zod';
import { CauseSchema, NoteSchema } from '../model/cause.ts';
import { ImageProvenanceSchema, ProofSchema, ReaderEngineSchema, StatusSchema } from '../model/report.ts';

// The verification snapshot (content/verification.json): the last verification of every block
// of the course, committed beside the content like the Rust book's listings' output, so a site
// built from a fresh clone shows the truth under every example. `npm run verify` refreshes the
// entries of the pages it ran; `npm run verify -- --check` compares a run against it (CI).

/** A block's result on one engine of the matrix. */
export const EngineResultSchema = z.object({
  /** The reader's Docker, e.g. 26.1.5+dfsg1. */
  docker: z.string(),
  status: StatusSchema,
  proof: ProofSchema,
  verifiedAt: z.iso.datetime(),
});
export type EngineResult = z.infer<typeof EngineResultSchema>;

/**
 * A block's result on the reader's path (`--path`): its locale's lessons run in course order in
 * one lab, as one reader on one machine follows them.
 */
export const PathResultSchema = z.object({
  status: StatusSchema,
  cause: CauseSchema.nullable(),
  notes: z.array(NoteSchema),
  verifiedAt: z.iso.datetime(),
  docker: z.string().nullable(),
});
export type PathResult = z.infer<typeof PathResultSchema>;

export const SnapshotBlockSchema = z.object({
  file: z.string(),
  /** Fence line when it was verified (informative: blocks are found by their identity, not line). */
  line: z.number().int(),
  /** The block's identity (model/block-id.ts), as the run reported it: its content digest… */
  digest: z.string(),
  /** …and its order among the page's blocks with that digest: 0 for the first, 1 for the second… */
  occurrence: z.number().int(),
  status: StatusSchema,
  /** Why it got its status, as data (model/cause.ts): the site words it in the page's language. */
  cause: CauseSchema.nullable(),
  notes: z.array(NoteSchema),
  /**
   * What its verdict looks at: `output` (the documented output appeared), `exit-status` (it ran,
   * the page documents no output), `used` (a file the page creates, judged by the first step that
   * uses it), `written` (a file no step uses: written only, not checked), `none` (not run, or
   * started in the background).
   */
  proof: ProofSchema,
  /** When this block really ran. */
  verifiedAt: z.iso.datetime(),
  /** The reader's Docker (the lab's) it ran on, e.g. 28.5.2+dfsg4. */
  docker: z.string().nullable(),
  /** Images its page uses that were stand-ins, not the registry's. */
  standIns: z.array(z.string()),
  /**
   * Its results on the other engines of the matrix (`--engine 26`…), by major version ("26"),
   * as the nightly's merged report recorded them. The entry itself is the default engine's
   * result (the badge); absent: it ran on no other engine.
   */
  engines: z.record(z.string(), EngineResultSchema).optional(),
  /**
   * The latest run could not verify it again (an `error`: the registry, the network, the disk,
   * the engine): when, and why. The verdict above is the last one that could be made. Absent:
   * the latest run verified it.
   */
  lastAttempt: z.object({ verifiedAt: z.iso.datetime(), cause: CauseSchema.nullable() }).optional(),
  /** Its result on the reader's path; absent: the path has not run since the block changed. */
  path: PathResultSchema.optional(),
});
export type SnapshotBlock = z.infer<typeof SnapshotBlockSchema>;

/** 1: verdicts as English sentences (`reason`). 2: as data (`cause`, `notes`). */
export const SNAPSHOT_SCHEMA_VERSION = 2;

export const SnapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  updatedAt: z.iso.datetime(),
  readerEngine: ReaderEngineSchema.nullable(),
  /** The images of the latest run that used each one. */
  images: z.array(ImageProvenanceSchema),
  blocks: z.array(SnapshotBlockSchema),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;
