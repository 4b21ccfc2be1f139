import type { Block, Page } from '../model/plan.ts';
import { blockKey } from '../model/block-id.ts';
import { limitNote } from '../model/cause.ts';
import { ranNow, type BlockResult, type ReportBlock } from '../model/report.ts';
import type { RunEvent } from '../report/events.ts';
import { errorResult, staticResult, withNote } from '../model/results.ts';
import { runPage, type PageRun } from './page-runner.ts';
import { selectBlocks } from './page-plan.ts';
import { EngineStoppedError } from './fatal.ts';
import type { PageLab } from './shell.ts';
import type { EngineSession } from './runner.ts';

// One page in a fresh lab of the engine session: the page run in its lab with its block events
// emitted as blocks end, failures that could not find an image told which stand-ins exist, and
// the lab disposed of whatever happened. How it ended is a value: the page ran (whatever its
// blocks' verdicts), or it broke off, with what it had finished and why.

/** How a page in a lab ended. */
export type LabRun =
  | ({ kind: 'ran' } & Omit<PageRun, 'results'> & { results: ReportBlock[] })
  /** The page could not go on (its lab or the engine failed): the blocks it had finished, and why. */
  | { kind: 'broke-off'; done: ReportBlock[]; cause: unknown };

export async function runInLab(
  session: EngineSession,
  /** The page's lab: made for it, perhaps ahead of its turn (lab-pool.ts). */
  labReady: Promise<PageLab & { dispose(): Promise<void> }>,
  page: Page,
  opts: {
    line?: number;
    timeoutScale?: number;
    /** A further word on a block's result (a reader's path: the earlier lesson that left the state). */
    explain?: (result: BlockResult) => BlockResult;
  },
  emit: (e: RunEvent) => Promise<void>,
): Promise<LabRun> {
  let lab: PageLab & { dispose(): Promise<void> };
  try {
    lab = await labReady;
  } catch (e) {
    return { kind: 'broke-off', done: [], cause: e };
  }
  const explained = (r: BlockResult) => (opts.explain ?? ((x: BlockResult) => x))(withImageHints(r, session));
  const pending: Promise<void>[] = [];
  const done: ReportBlock[] = [];
  try {
    const run = await runPage(page, lab, {
      line: opts.line,
      timeoutScale: opts.timeoutScale,
      onBlockStart: (block) => pending.push(emit({ type: 'block-start', block })),
      onBlockEnd: (raw) => {
        const result = ranNow(explained(raw));
        done.push(result);
        pending.push(emit({ type: 'block-end', result }));
      },
    });
    // Each block is stamped with the time it ended, as its block-end event was.
    // (By the block's identity with its file: a reader's path runs the blocks of many files.)
    const at = new Map(done.map((r) => [blockKey(r), r.verifiedAt]));
    return {
      kind: 'ran',
      ...run,
      results: run.results.map((r) => ({ ...ranNow(explained(r)), verifiedAt: at.get(blockKey(r)) ?? new Date().toISOString() })),
    };
  } catch (e) {
    // What was verified before the page broke off is kept; if the engine is gone, that is the
    // reason, whatever symptom the page runner saw first.
    if (!(await session.alive())) return { kind: 'broke-off', done, cause: new EngineStoppedError('it no longer answers /_ping') };
    // The engine answers but this lab died (its Docker engine killed at the lab's memory limit,
    // say): that is this page's error, told in one line; the run goes on with the next page.
    // A process of the lab killed at its limits (its Docker engine, inside a lab that still
    // runs) is the same story: the blocks left say so in a note. The limit may have been told
    // already, to the step that failed at it: the lab remembers its last reading.
    const reading = (await lab.limitsReached?.().catch(() => null)) ?? lab.lastLimitReading?.() ?? null;
    if (!reading) return { kind: 'broke-off', done, cause: e };
    const finished = new Set(done.map((r) => blockKey(r)));
    const rest = selectBlocks(page, opts.line).filter((b) => !finished.has(blockKey(b)));
    const unrun = (b: Block) =>
      reading.kind === 'lab-died'
        ? errorResult(b, reading)
        : withNote(errorResult(b, { kind: 'not-run', fatal: null }), limitNote(reading, null));
    const broken = rest.map((b) => ranNow(staticResult(b) ?? unrun(b)));
    for (const r of broken) pending.push(emit({ type: 'block-end', result: r }));
    return { kind: 'ran', results: [...done, ...broken], acceptances: [] };
  } finally {
    await Promise.all(pending);
    await lab.dispose().catch(() => {}); // an engine that died is reported by the next call to it
  }
}

/** Failed steps that could not find an image get a note naming it and the stand-ins, and so does their block. */
function withImageHints(result: BlockResult, session: EngineSession): BlockResult {
  if (result.status !== 'failed' && result.status !== 'error') return result;
  let block = result;
  const steps = result.steps.map((s) => {
    const missing = s.status !== 'passed' && s.actual ? session.imageHint(s.actual) : null;
    if (!missing) return s;
    const note = { kind: 'missing-image' as const, ...missing };
    block = withNote(block, note);
    return withNote(s, note);
  });
  return { ...block, steps };
}
