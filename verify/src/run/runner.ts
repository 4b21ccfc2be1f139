import type { Target } from '../collect/collect.ts';
import { pageUnit, type LabRequest, type RunUnit } from '../collect/units.ts';
import { isRunnable, type Page } from '../model/plan.ts';
import type { ResultCache } from '../cache/results-cache.ts';
import { runImages } from '../cache/results-cache.ts';
import {
  Mode,
  ranNow,
  REPORT_SCHEMA_VERSION,
  summarize,
  type BlockResult,
  type ImageProvenance,
  type ReaderEngine,
  type Report,
  type ReportBlock,
} from '../model/report.ts';
import { deliver, type Reporter, type RunEvent } from '../report/events.ts';
import { updatePage } from '../update/apply.ts';
import { OrderedEvents } from './ordered-events.ts';
import { explainOnPath } from './path-blame.ts';
import { runInLab } from './page-in-lab.ts';
import type { Acceptance } from './page-runner.ts';
import { selectBlocks } from './page-plan.ts';
import { staticResult } from '../model/results.ts';
import type { PageLab } from './shell.ts';
import { describeFatal, EngineStoppedError, oneLine } from './fatal.ts';
import { labPool, type LabPool } from './lab-pool.ts';
import { blockKey } from '../model/block-id.ts';
import { noBlockAt, notRun } from './run-errors.ts';
import { classifyChange } from '../update/classify.ts';

// collect → run → events. Pages run in order (N at once with `jobs`), each in a fresh lab; the
// engine and its images are prepared once, and only if some page has something to run.

// The modes are the report's (model/report.ts); re-exported for the runner's callers.
export { Mode } from '../model/report.ts';

/** The engine, brought up once per run; `L` is what its labs offer beyond what the runner needs. */
export interface EngineSession<L extends PageLab = PageLab> {
  describe: { engine: Report['run']['engine']; client: Report['run']['client']; label: string };
  images: ImageProvenance[];
  /** The lab image the labs come from (its suite and recipe hash), or null when unknown. */
  lab: { suite: string; recipe: string } | null;
  /** The engine inside the labs, once a lab has been created (null before). */
  readerEngine(): ReaderEngine | null;
  /** A line explaining a failure to find an image offline, or null (see engine-session.ts). */
  /** The image a failed step's output could not find, and the stand-ins there are (null: none missing). */
  imageHint(output: string): { image: string; standIns: string[] } | null;
  /** Does the engine still answer? (Asked after a page had failures: was it the engine?) */
  alive(): Promise<boolean>;
  /** A fresh lab for a page (or a path), holding what `request` says the reader has on arriving. */
  createLab(page: string, request?: LabRequest): Promise<L & { dispose(): Promise<void> }>;
  dispose(): Promise<void>;
}

export interface RunAllOptions {
  targets: Target[];
  /** What runs, each in its own lab; default: one unit per target page (collect/units.ts). */
  units?: RunUnit[];
  /** The run is a reader's path (`--path`): recorded in the report. */
  scope?: 'pages' | 'path';
  mode: Mode;
  argv: string[];
  reporters: Reporter[];
  /** Brings up the engine (lazily: only when a page has a runnable block). */
  prepareEngine: (log: (msg: string) => void, pages: readonly string[]) => Promise<EngineSession>;
  timeoutScale?: number;
  /** Pages run at once, each in its own lab (default 1). */
  jobs?: number;
  /** Results of earlier runs (cache/): a page whose inputs did not change is reused, not run. */
  cache?: ResultCache;
  /** With `--update`: say what would be written (`update-preview` events), write nothing. */
  dryRun?: boolean;
}

export async function runAll(opts: RunAllOptions): Promise<Report> {
  const startedAt = new Date();
  const emit = async (e: RunEvent) => {
    for (const r of opts.reporters) await deliver(r, e);
  };
  const log = (message: string) => void emit({ type: 'log', message });
  const pages = opts.units ?? opts.targets.map(pageUnit);
  await emit({ type: 'run-start', files: pages.map((p) => p.target.display), mode: opts.mode, scope: opts.scope });

  let session: EngineSession | null = null;
  const out = new OrderedEvents(emit, pages.length);
  // The engine is brought up once, before any lab, and only if some page has something to run.
  const cachePage = ({ target, source, page, lab, path }: RunUnit) => ({
    display: target.display,
    line: target.line,
    // What the lab holds on arrival changes what the page shows, so it is part of its key.
    source: lab.images ? `${source}\0arrival: ${lab.images.join(' ')}` : source,
    selected: selectBlocks(page, target.line),
    composite: path,
  });
  const reused = pages.map((p) => opts.cache?.lookup(cachePage(p), opts.mode) ?? null);
  const reusedPages = reused.filter(Boolean).length;
  if (reusedPages > 0)
    log(`${reusedPages} of ${pages.length} page(s) unchanged since they last ran: their results are reused (--force runs them again)`);
  pages.forEach((p, i) => {
    const why = reused[i] ? null : opts.cache?.whyNotReused(cachePage(p), opts.mode);
    if (why) log(`${p.target.display} runs again: ${why}`);
  });
  const needsLab = pages.map(
    ({ target, page }, i) =>
      !reused[i] && !missingBlock(page, target.line) && page.blocks.some((b) => isRunnable(b) && b.line <= (target.line ?? Infinity)),
  );

  /** One page, start to end; how it ended is a value (never thrown), and its events are emitted in page order. */
  const runOne = async (
    i: number,
    session: EngineSession | null,
    labs: LabPool<PageLab & { dispose(): Promise<void> }>,
  ): Promise<PageOutcome> => {
    const { target, source, page, path } = pages[i]!;
    // Where this page is, so a fatal error can say where it struck.
    const at: FatalAt = { file: page.file, line: null };
    const pageEmit = async (e: RunEvent) => {
      if (e.type === 'block-start') at.line = e.block.line;
      await out.emit(i, e);
    };
    try {
      const selected = selectBlocks(page, target.line);
      const missing = missingBlock(page, target.line);
      await pageEmit({ type: 'page-start', file: page.file, blocks: missing ? 1 : selected.length });
      const pageStarted = Date.now();
      const ended = async (results: ReportBlock[], fatal: PageOutcome['fatal'] = null): Promise<PageOutcome> => {
        if (!fatal) await pageEmit({ type: 'page-end', file: page.file, durationMs: Date.now() - pageStarted });
        return { results, fatal };
      };
      const shown = async (results: ReportBlock[]) => {
        for (const r of results) await pageEmit({ type: 'block-end', result: r });
        return ended(results);
      };
      // A `:LINE` that names no block is this page's error; the other pages still run.
      if (missing) return await shown([ranNow(missing)]);
      if (reused[i]) return await shown(reused[i].blocks);
      if (!needsLab[i] || !session) return await shown(selected.map((b) => ranNow(staticResult(b) ?? notRun(b, null))));

      const explain = path
        ? (r: BlockResult) =>
            explainOnPath(
              page.blocks.slice(
                0,
                page.blocks.findIndex((b) => blockKey(b) === blockKey(r)),
              ),
              r,
            )
        : undefined;
      const run = await runInLab(session, labs.take(i), page, { line: target.line, timeoutScale: opts.timeoutScale, explain }, pageEmit);
      if (run.kind === 'broke-off') return { results: run.done, fatal: { error: run.cause, at } };
      // An engine that died mid-page makes every block from the first failure on say nothing
      // about the page: report them as errors, keep what was verified, and stop the run.
      const k = run.results.findIndex((r) => r.status === 'failed' || r.status === 'error');
      if (k >= 0 && !(await session.alive())) {
        const results = run.results.map((r, j) =>
          j < k ? r : { ...r, status: 'error' as const, cause: { kind: 'engine-stopped' as const } },
        );
        return { results, fatal: { error: new EngineStoppedError('it no longer answers /_ping'), at } };
      }
      opts.cache?.save(
        cachePage(pages[i]!),
        run.results,
        { images: session.images, readerEngine: session.readerEngine(), lab: session.lab },
        opts.mode,
      );
      if (opts.mode === Mode.update && opts.dryRun) await previewUpdates(source, page.file, run.acceptances, pageEmit);
      else if (opts.mode === Mode.update) return await ended(await writeUpdates(target.path, source, page.file, run, pageEmit));
      return await ended(run.results);
    } catch (e) {
      // Anything else that escaped the page (a reporter, the disk) ends the run, told where.
      return { results: [], fatal: { error: e, at } };
    } finally {
      await out.done(i);
    }
  };

  // The first fatal error ends the run: no page starts after it (those under way finish). The
  // workers share only the queue of pages and this signal; each page's outcome is its own value.
  const stop = new AbortController();
  let outcomes: (PageOutcome | undefined)[] = [];
  let labs: LabPool<PageLab & { dispose(): Promise<void> }> | null = null;
  try {
    if (needsLab.some(Boolean))
      session = await startEngine(
        opts,
        pages.filter((_, i) => needsLab[i]).flatMap((p) => [p.source, ...(p.lab.images ?? [])]),
        log,
        emit,
      );
    // N pages at once, each in its own lab, the longest first (by their last run here), so the
    // run does not end waiting on a long page started last; events still come in page order.
    // While pages run, the next pages' labs are made (lab-pool.ts): one more than run at once,
    // so that a page shorter than a lab's start-up (a few seconds) does not leave the next
    // page waiting for its lab.
    const order = startOrder(pages.map((p, i) => (needsLab[i] ? (opts.cache?.lastDurationMs?.(cachePage(p)) ?? null) : 0)));
    const jobs = Math.max(1, Math.min(opts.jobs ?? 1, pages.length));
    const ready = session;
    const pool = labPool(
      (i) => ready!.createLab(pages[i]!.page.file, pages[i]!.lab),
      order.filter((i) => needsLab[i]),
      ready ? jobs + 1 : 0,
    );
    labs = pool;
    const queue = order.values();
    const worker = async (): Promise<[number, PageOutcome][]> => {
      const done: [number, PageOutcome][] = [];
      for (let next = queue.next(); !next.done && !stop.signal.aborted; next = queue.next()) {
        const outcome = await runOne(next.value, ready, pool);
        done.push([next.value, outcome]);
        if (outcome.fatal && !stop.signal.aborted) stop.abort(outcome.fatal);
      }
      return done;
    };
    const byWorker = await Promise.all(Array.from({ length: jobs }, worker));
    outcomes = pages.map((_, i) => byWorker.flat().find(([j]) => j === i)?.[1]);
  } catch (e) {
    if (!stop.signal.aborted) stop.abort({ error: e, at: { file: '', line: null } } satisfies PageOutcome['fatal']);
  } finally {
    await out.flushAll();
    await labs?.dispose();
  }
  const fatal = stop.signal.aborted ? (stop.signal.reason as NonNullable<PageOutcome['fatal']>) : null;
  const engineHost = (session as EngineSession | null)?.describe.engine?.host ?? null;
  let fatalLine = fatal ? describeFatal(fatal.error, { engineHost, at: fatal.at }) : null;
  // A dead engine cannot remove anything: say so, and let the next run clean up.
  await (session as EngineSession | null)?.dispose().catch((e: unknown) => {
    fatalLine ??= describeFatal(e, { engineHost });
    log(`could not remove this run's labs (the next run will): ${oneLine(e)}`);
  });
  const perPage = outcomes.map((o) => o?.results ?? []);
  const blocks = perPage.flat();

  // Pages that never got to run (a fatal error stopped the run) still appear, as errors.
  const seen = new Set(blocks.map((b) => `${b.file}:${b.line}`));
  for (const { target, page } of pages) {
    const missing = missingBlock(page, target.line);
    for (const result of missing
      ? [missing]
      : selectBlocks(page, target.line).map((block) => staticResult(block) ?? notRun(block, fatalLine))) {
      if (!seen.has(`${result.file}:${result.line}`)) blocks.push(ranNow(result));
    }
  }

  const finishedAt = new Date();
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    run: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      mode: opts.mode,
      argv: opts.argv,
      engine: session?.describe.engine ?? null,
      client: session?.describe.client ?? null,
      images: runImages(session?.images ?? [], reused),
      readerEngine: session?.readerEngine() ?? reused.find(Boolean)?.readerEngine ?? null,
      fatal: fatalLine,
      ...(opts.scope === 'path' ? { scope: 'path' as const } : {}),
    },
    summary: summarize(blocks),
    blocks,
  };
  await emit({ type: 'run-end', report });
  return report;
}

async function startEngine(
  opts: RunAllOptions,
  sources: readonly string[],
  log: (m: string) => void,
  emit: (e: RunEvent) => Promise<void>,
): Promise<EngineSession> {
  const t0 = Date.now();
  const session = await opts.prepareEngine(log, sources);
  await emit({ type: 'engine-ready', engine: session.describe.label, images: session.images, durationMs: Date.now() - t0 });
  return session;
}

/** Where a fatal error struck: the page, and the block under way (if any). */
interface FatalAt {
  file: string;
  line: number | null;
}

/** How one page of the run ended: its blocks' results, and the error that ends the run (null: none). */
interface PageOutcome {
  results: ReportBlock[];
  fatal: { error: unknown; at: FatalAt } | null;
}

/**
 * The order pages start in: those never timed here first, in course order (any of them may be
 * long), then the others from the longest to the shortest, ties in course order. Pure.
 */
export function startOrder(lastDurationMs: readonly (number | null)[]): number[] {
  const index = lastDurationMs.map((ms, i) => ({ ms, i }));
  const unknown = index.filter((p) => p.ms === null).map((p) => p.i);
  const known = index
    .filter((p) => p.ms !== null)
    .sort((a, b) => b.ms! - a.ms! || a.i - b.i)
    .map((p) => p.i);
  return [...unknown, ...known];
}

/** `page.md:LINE` naming no block of the page: the error reported for it (null: it names one, or no line). */
function missingBlock(page: Page, line: number | undefined): BlockResult | null {
  return line !== undefined && selectBlocks(page, line).length === 0 ? noBlockAt(page.file, line) : null;
}

/** --update --dry-run: each documented output --update would replace, labelled cosmetic or meaningful. */
async function previewUpdates(
  source: string,
  file: string,
  acceptances: readonly Acceptance[],
  emit: (e: RunEvent) => Promise<void>,
): Promise<void> {
  if (acceptances.length === 0) return;
  const lines = source.split(/\r?\n/);
  const changes = acceptances.map((a) => {
    const before = lines.slice(a.expected.startLine - 1, a.expected.endLine).map((l) => l.slice(a.indent.length));
    return { startLine: a.expected.startLine, endLine: a.expected.endLine, before, after: a.lines, kind: classifyChange(before, a.lines) };
  });
  await emit({ type: 'update-preview', file, changes });
}

/**
 * --update: writes the accepted outputs into the page. A page that cannot be updated (it changed
 * while it ran) is an error of that page: its drifted blocks say why, and the run goes on.
 */
async function writeUpdates(
  path: string,
  source: string,
  file: string,
  run: { results: ReportBlock[]; acceptances: Acceptance[] },
  emit: (e: RunEvent) => Promise<void>,
): Promise<ReportBlock[]> {
  try {
    const updated = updatePage(path, source, run.acceptances);
    if (updated > 0) await emit({ type: 'page-updated', file, steps: updated });
    return run.results;
  } catch (e) {
    const message = oneLine(e);
    await emit({ type: 'page-error', file, message });
    const drifted = new Set(run.acceptances.map((a) => a.blockLine));
    return run.results.map((r) =>
      drifted.has(r.line) ? { ...r, status: 'error' as const, cause: { kind: 'not-updated' as const, message } } : r,
    );
  }
}
