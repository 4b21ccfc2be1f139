import { blockKey } from '../model/block-id.ts';
import type { BlockResult, Report } from '../model/report.ts';
import type { Snapshot } from './model.ts';

// CI's question: does the course still hold what the committed snapshot says it held? Pure.

export const Verdict = {
  /** As in the snapshot (passed and still passing, or skipped and still skipped). */
  held: 'held',
  /** Passed in the snapshot, fails now. */
  regressed: 'regressed',
  /** Not in the snapshot (new or changed block) and it holds (passes, or is skipped with a reason). */
  new: 'new',
  /** Not in the snapshot and it does not pass: a new example must hold before it lands. */
  newFailing: 'new-failing',
  /** Failing in the snapshot and still failing: known, refreshed on purpose by a maintainer. */
  known: 'known',
  /** Failing in the snapshot, passes now: refresh the snapshot to record it. */
  fixed: 'fixed',
  /** The harness could not judge it. */
  error: 'error',
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export interface BlockVerdict {
  block: BlockResult;
  verdict: Verdict;
}

/**
 * A page run is compared with each block's own entry; a reader's path run (`run.scope: path`)
 * with the entry's path result.
 */
export function compareToSnapshot(snapshot: Snapshot | null, report: Report): BlockVerdict[] {
  const path = report.run.scope === 'path';
  const before = new Map((snapshot?.blocks ?? []).map((b) => [blockKey(b), path ? b.path : b]));
  return report.blocks.map((block) => {
    const old = before.get(blockKey(block));
    const now = block.status;
    let verdict: Verdict;
    if (now === 'error') verdict = Verdict.error;
    else if (!old) verdict = now === 'failed' ? Verdict.newFailing : Verdict.new;
    else if (old.status === 'passed' || old.status === 'skipped') verdict = now === 'failed' ? Verdict.regressed : Verdict.held;
    else verdict = now === 'passed' ? Verdict.fixed : Verdict.known;
    return { block, verdict };
  });
}

/** CI fails on a regression, a new example that does not hold (exit 1) or an error (exit 2). */
export function checkExitCode(verdicts: readonly BlockVerdict[]): 0 | 1 | 2 {
  if (verdicts.some((v) => v.verdict === Verdict.error)) return 2;
  if (verdicts.some((v) => v.verdict === Verdict.regressed || v.verdict === Verdict.newFailing)) return 1;
  return 0;
}

export function countVerdicts(verdicts: readonly BlockVerdict[]): Record<Verdict, number> {
  const out = Object.fromEntries(Object.values(Verdict).map((v) => [v, 0])) as Record<Verdict, number>;
  for (const v of verdicts) out[v.verdict]++;
  return out;
}
