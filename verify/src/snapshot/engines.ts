import { blockKey } from '../model/block-id.ts';
import type { ReportBlock } from '../model/report.ts';
import type { EngineResult, Snapshot, SnapshotBlock } from './model.ts';

// The engine matrix in the snapshot. An entry is the default engine's result (what the badge
// says); the results of the same block on the other engines (`--engine 26`) sit beside it in
// `engines`, by major version. Only real runs put anything there: a block never run on an engine
// has no result for it, and the status page shows none. Pure.

/** "28.5.2+dfsg4" → "28". */
export function majorOf(docker: string): string {
  return /^v?(\d+)/.exec(docker)?.[1] ?? docker;
}

/**
 * The snapshot with one engine's results (the blocks of reports that ran on `docker`) recorded
 * under `engines[major]` of the entries they match (same file, digest and occurrence). An `error`
 * keeps the previous result, as the default engine's does (the harness could not judge it). A
 * block with no entry gets none: the default engine has not verified that content, and a badge
 * must never show another engine's result as the default's.
 */
export function recordEngineResults(snapshot: Snapshot, blocks: readonly ReportBlock[], docker: string): Snapshot {
  const major = majorOf(docker);
  const results = new Map(
    blocks
      .filter((b) => b.status !== 'error')
      .map((b): [string, EngineResult] => [
        blockKey(b),
        { docker, status: b.status, proof: b.status === 'skipped' ? 'none' : b.proof, verifiedAt: b.verifiedAt },
      ]),
  );
  return {
    ...snapshot,
    blocks: snapshot.blocks.map((entry) => {
      const result = results.get(blockKey(entry));
      return result ? { ...entry, engines: { ...entry.engines, [major]: result } } : entry;
    }),
  };
}

/** Every engine result of an entry: the default engine's (the entry itself) first, then the others by version, newest first. */
export function engineResults(entry: SnapshotBlock): EngineResult[] {
  const own: EngineResult[] = entry.docker
    ? [{ docker: entry.docker, status: entry.status, proof: entry.proof, verifiedAt: entry.verifiedAt }]
    : [];
  const ownMajor = entry.docker ? majorOf(entry.docker) : null;
  const others = Object.entries(entry.engines ?? {})
    .filter(([major]) => major !== ownMajor)
    .sort(([a], [b]) => Number(b) - Number(a))
    .map(([, r]) => r);
  return [...own, ...others];
}
