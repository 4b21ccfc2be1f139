import { blockKey } from '../model/block-id.ts';
import type { BlockResult, Report } from '../model/report.ts';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot, type SnapshotBlock } from './model.ts';

/** The run decided what each block's verdict looks at (model/report.ts); a skipped block: nothing. */
function proofOf(b: BlockResult): SnapshotBlock['proof'] {
  return b.status === 'skipped' ? 'none' : b.proof;
}

export interface MergeOptions {
  /** Files whose every block ran: their old entries are replaced as a whole. */
  wholeFiles: ReadonlySet<string>;
  /** Per file, the images its page mentions (to record which were stand-ins). */
  pageImages: ReadonlyMap<string, readonly string[]>;
  /** Files that exist now; entries of other files are dropped. */
  exists: (file: string) => boolean;
}

/**
 * The snapshot after a run. Pure. Blocks that ran replace their entries; an `error` block keeps
 * its previous entry when there is one (the harness could not judge it, which says nothing
 * about the example); pages that did not run keep theirs.
 */
export function mergeSnapshot(old: Snapshot | null, report: Report, opts: MergeOptions): Snapshot {
  // Each result carries its block's identity, as the page was read when it ran.
  const ran = report.blocks;
  const previous = new Map((old?.blocks ?? []).map((b) => [blockKey(b), b]));
  const standIns = new Set(report.run.images.filter((i) => i.source === 'stand-in').map((i) => i.ref));
  const kept = (old?.blocks ?? []).filter((b) => !opts.wholeFiles.has(b.file));
  const replaced = new Set(ran.map(blockKey));
  const fresh: SnapshotBlock[] = ran.map((b) => {
    const before = previous.get(blockKey(b));
    // Nothing could be said this time (the machine failed, the engine died): the last verdict
    // stands, marked with this attempt, so the site says it could not be re-verified, and why.
    if (b.status === 'error' && before) return { ...before, lastAttempt: { verifiedAt: b.verifiedAt, cause: b.cause } };
    return {
      file: b.file,
      line: b.line,
      digest: b.digest,
      occurrence: b.occurrence,
      status: b.status,
      cause: b.cause,
      notes: b.notes,
      proof: proofOf(b),
      // When it really ran: a reused block keeps the date of the run that verified it.
      verifiedAt: b.verifiedAt,
      docker: report.run.readerEngine?.docker ?? null,
      standIns: (opts.pageImages.get(b.file) ?? []).filter((r) => standIns.has(r)),
      // Same key, same content: what it did on the other engines still stands.
      ...(before?.engines ? { engines: before.engines } : {}),
      ...(before?.path ? { path: before.path } : {}),
    };
  });
  const blocks = [...kept.filter((b) => !replaced.has(blockKey(b))), ...fresh]
    .filter((b) => opts.exists(b.file))
    .sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  const images = new Map((old?.images ?? []).map((i) => [i.ref, i]));
  for (const i of report.run.images) images.set(i.ref, i);
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    updatedAt: report.run.finishedAt,
    readerEngine: report.run.readerEngine ?? old?.readerEngine ?? null,
    images: [...images.values()].sort((a, b) => (a.ref < b.ref ? -1 : 1)),
    blocks,
  };
}

/**
 * The snapshot after a reader's path run (`--path`). Pure. Each block that ran gets its path
 * result beside its own; an `error` keeps the previous path result. A block with no entry yet
 * (its page has not run alone since it changed) is returned in `unknown`: the page's own run
 * records it first.
 */
export function mergePathResults(old: Snapshot, report: Report): { snapshot: Snapshot; unknown: BlockResult[] } {
  const ran = new Map(report.blocks.map((b) => [blockKey(b), b]));
  const found = new Set<string>();
  const blocks = old.blocks.map((entry) => {
    const b = ran.get(blockKey(entry));
    if (!b) return entry;
    found.add(blockKey(entry));
    if (b.status === 'error' && entry.path) return entry;
    return {
      ...entry,
      path: { status: b.status, cause: b.cause, notes: b.notes, verifiedAt: b.verifiedAt, docker: report.run.readerEngine?.docker ?? null },
    };
  });
  const unknown = [...ran].filter(([k]) => !found.has(k)).map(([, b]) => b);
  return { snapshot: { ...old, updatedAt: report.run.finishedAt, blocks }, unknown };
}
