import type { LabRequest } from '../collect/units.ts';
import type { Block, Page } from '../model/plan.ts';
import { limitNote } from '../model/cause.ts';
import { ranNow, type BlockResult, type ReportBlock } from '../model/report.ts';
import type { RunEvent } from '../report/events.ts';
import { errorResult, staticResult, withNote } from '../model/results.ts';
import { runPage, selectBlocks, type PageRun } from './page-runner.ts';
import { EngineStoppedError } from './fatal.ts';
import { PageAborted } from './run-errors.ts';
import type { EngineSession } from './runner.ts';

// One page in a fresh lab of the engine session: the lab created, the page run in it with its
// block events emitted as blocks end, failures that could not find an image told which
// stand-ins exist, and the lab disposed of whatever happened.

export async function runInLab(
  session: EngineSession,
  page: Page,
  opts: {
    line?: number;
    timeoutScale?: number;
    lab?: LabRequest;
    /** A further word on a block's result (a reader's path: the earlier lesson that left the state). */
    explain?: (result: BlockResult) => BlockResult;
  },
  emit: (e: RunEvent) => Promise<void>,
): Promise<Omit<PageRun, 'results'> & { results: ReportBlock[] }> {
  const lab = await session.createLab(page.file, opts.lab);
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
    // (By file and line: a reader's path runs the blocks of many files.)
    const at = new Map(done.map((r) => [`${r.file}:${r.line}`, r.verifiedAt]));
    return {
      ...run,
      results: run.results.map((r) => ({ ...ranNow(explained(r)), verifiedAt: at.get(`${r.file}:${r.line}`) ?? new Date().toISOString() })),
    };
  } catch (e) {
    // What was verified before the page broke off is kept; if the engine is gone, that is the
    // reason, whatever symptom the page runner saw first.
    if (!(await session.alive())) throw new PageAborted(done, new EngineStoppedError('it no longer answers /_ping'));
    // The engine answers but this lab died (its Docker engine killed at the lab's memory limit,
    // say): that is this page's error, told in one line; the run goes on with the next page.
    // A process of the lab killed at its limits (its Docker engine, inside a lab that still
    // runs) is the same story: the blocks left say so in a note.
    const reading = await lab.limitsReached?.().catch(() => null);
    if (!reading) throw new PageAborted(done, e);
    const finished = new Set(done.map((r) => `${r.file}:${r.line}`));
    const rest = selectBlocks(page, opts.line).filter((b) => !finished.has(`${b.file}:${b.line}`));
    const unrun = (b: Block) =>
      reading.kind === 'lab-died'
        ? errorResult(b, reading)
        : withNote(errorResult(b, { kind: 'not-run', fatal: null }), limitNote(reading, null));
    const broken = rest.map((b) => ranNow(staticResult(b) ?? unrun(b)));
    for (const r of broken) pending.push(emit({ type: 'block-end', result: r }));
    return { results: [...done, ...broken], acceptances: [] };
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
