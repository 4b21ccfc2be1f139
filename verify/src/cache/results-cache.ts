import { config, type LabSuite } from '../engine/config.ts';
import { imagesMentioned } from '../engine/stand-ins/table.ts';
import type { ImageProvenance, Mode, ReaderEngine, ReportBlock } from '../model/report.ts';
import { gatherRunInputs } from './inputs.ts';
import { describeChange, imageInputs, keyParts, pageKey, type PageInputs, type RunInputs } from './key.ts';
import { ResultStore, STORE_SCHEMA_VERSION, type StoredPage } from './store.ts';

// Incremental reruns: what the runner asks before running a page ("has this exact page, with
// this harness, lab and images, run before?") and tells after ("these are its results").

/** A page as the runner has it. */
export interface CachePage {
  display: string;
  line: number | undefined;
  source: string;
  /** The blocks the run reports for it (identity check of a stored entry). */
  selected: readonly { line: number; digest: string }[];
  /** A reader's path: its blocks come from many files, and keep their own file when reused. */
  composite?: boolean;
}

export interface ReusedRun {
  blocks: ReportBlock[];
  images: ImageProvenance[];
  readerEngine: ReaderEngine | null;
}

export interface ResultCache {
  /** The page's stored results, ready to report as reused, or null: the page must run. */
  lookup(page: CachePage, mode: Mode): ReusedRun | null;
  /**
   * Why a page that ran before is not reused: which inputs changed since, in words, with when it
   * last ran; null when it never ran here (or the cache does not apply).
   */
  whyNotReused(page: CachePage, mode: Mode): string | null;
  /** Stores a page's results, if they are worth reusing (see `storable`). */
  save(page: CachePage, results: readonly ReportBlock[], run: RanWith, mode: Mode): void;
  /**
   * How long the page's blocks took when it last ran here, whatever changed since (null: it
   * never ran here). The runner starts the longest pages first.
   */
  lastDurationMs?(page: CachePage): number | null;
}

/** What a page really ran with, as the engine session knows it once it is prepared. */
export interface RanWith {
  images: readonly ImageProvenance[];
  readerEngine: ReaderEngine | null;
  /**
   * The lab image the run really used. The key's lab is otherwise predicted before any engine
   * is prepared, and the prediction can differ from what ran: on a fresh machine mmdebstrap is
   * installed only while the engine is prepared, so the lab is predicted as a Dockerfile build
   * and then built with mmdebstrap. Results are stored under what really ran, so the next run
   * (which predicts mmdebstrap) finds them.
   */
  lab: RunInputs['lab'] | null;
}

/**
 * Only results every block of which the harness could judge: an `error` says nothing about the
 * page (engine trouble, a timeout of the harness), so such a page runs again next time. A
 * failure is kept: the same inputs fail the same way, and the report says it was reused.
 */
export function storable(results: readonly ReportBlock[]): boolean {
  return results.length > 0 && results.every((r) => !r.reused && r.status !== 'error');
}

/**
 * Whether the cache takes part at all. --update runs every page for real: it rewrites pages
 * from the actual output, which a stored result may not carry. A `page.md:LINE` target runs
 * the page only up to that block and reports one block: neither reused nor stored, so an
 * entry always stands for a whole page run whole.
 */
export function cacheApplies(page: Pick<CachePage, 'line'>, mode: Mode): boolean {
  return mode === 'verify' && page.line === undefined;
}

/** Whether a stored entry answers for the page now. */
export function reusable(entry: Pick<StoredPage, 'blocks'>, page: Pick<CachePage, 'selected'>): boolean {
  // The same text reads as the same blocks; if not (a corrupt entry), run the page.
  return (
    entry.blocks.length === page.selected.length &&
    entry.blocks.every((b, i) => b.line === page.selected[i]!.line && b.digest === page.selected[i]!.digest)
  );
}

/** The stored blocks as this run reports them: under the page's path now, marked reused. */
export function asReused(entry: Pick<StoredPage, 'blocks'>, display: string, composite = false): ReportBlock[] {
  return entry.blocks.map((b) => ({ ...b, file: composite ? b.file : display, reused: true }));
}

/** The images of a run: those it prepared, and those the reused results were verified with. */
export function runImages(prepared: readonly ImageProvenance[], reused: readonly (ReusedRun | null)[]): ImageProvenance[] {
  const byRef = new Map<string, ImageProvenance>();
  for (const r of reused) for (const i of r?.images ?? []) byRef.set(i.ref, i);
  for (const i of prepared) byRef.set(i.ref, i);
  return [...byRef.values()];
}

export function resultsDir(): string {
  return config.resultsDir();
}

/** `force`: run every page (entries are still refreshed). `suite`: the run's lab suite (--engine). */
export async function openResultCache(opts: { timeoutScale: number; suite: LabSuite; force: boolean; dir?: string }): Promise<ResultCache> {
  const store = new ResultStore(opts.dir ?? resultsDir());
  const run: RunInputs = await gatherRunInputs({ timeoutScale: opts.timeoutScale, suite: opts.suite });
  store.prune();
  const inputsOf = (page: CachePage): PageInputs => ({ source: page.source, line: page.line, images: imagesMentioned([page.source]) });
  const runWith = (lab: RunInputs['lab'] | null): RunInputs => (lab ? { ...run, lab } : run);
  return {
    lookup(page, mode) {
      if (opts.force || !cacheApplies(page, mode)) return null;
      const entry = store.get(pageKey(inputsOf(page), run));
      if (!entry || !reusable(entry, page)) return null;
      return { blocks: asReused(entry, page.display, page.composite), images: entry.images, readerEngine: entry.readerEngine };
    },
    whyNotReused(page, mode) {
      if (opts.force || !cacheApplies(page, mode)) return null;
      const before = store.latestFor(page.display, page.line ?? null, run.lab.suite);
      if (!before) return null;
      const what = describeChange(before.parts, keyParts(inputsOf(page), run));
      const when = before.storedAt.slice(0, 16).replace('T', ' ');
      return what ? `${what} changed since it last ran (${when} UTC)` : `its stored results no longer match its blocks (${when} UTC)`;
    },
    lastDurationMs(page) {
      const before = store.latestFor(page.display, page.line ?? null, run.lab.suite);
      return before ? before.blocks.reduce((ms, b) => ms + b.durationMs, 0) : null;
    },
    save(page, results, ran, mode) {
      if (!cacheApplies(page, mode) || !storable(results)) return;
      const inputs = runWith(ran.lab);
      const refs = new Set(imageInputs({ images: imagesMentioned([page.source]) }, inputs).map(([ref]) => ref));
      try {
        store.put({
          schemaVersion: STORE_SCHEMA_VERSION,
          key: pageKey(inputsOf(page), inputs),
          storedAt: new Date().toISOString(),
          page: { display: page.display, line: page.line ?? null },
          suite: inputs.lab.suite,
          parts: keyParts(inputsOf(page), inputs),
          images: ran.images.filter((i) => refs.has(i.ref)),
          readerEngine: ran.readerEngine,
          blocks: [...results],
        });
      } catch {
        // A cache that cannot be written (full disk, read-only) costs time next run, not correctness.
      }
    },
  };
}
