import { config } from '../engine/config.ts';
import { imagesMentioned } from '../engine/stand-ins/table.ts';
import type { ImageProvenance, Mode, ReaderEngine, ReportBlock } from '../model/report.ts';
import { gatherRunInputs } from './inputs.ts';
import { imageInputs, pageKey, type RunInputs } from './key.ts';
import { ResultStore, type StoredPage } from './store.ts';

// Incremental reruns: what the runner asks before running a page ("has this exact page, with
// this harness, lab and images, run before?") and tells after ("these are its results").

/** A page as the runner has it. */
export interface CachePage {
  display: string;
  line: number | undefined;
  source: string;
  /** The blocks the run reports for it (identity check of a stored entry). */
  selected: readonly { line: number; digest: string }[];
}

export interface ReusedRun {
  blocks: ReportBlock[];
  images: ImageProvenance[];
  readerEngine: ReaderEngine | null;
}

export interface ResultCache {
  /** The page's stored results, ready to report as reused, or null: the page must run. */
  lookup(page: CachePage, mode: Mode): ReusedRun | null;
  /** Stores a page's results, if they are worth reusing (see `storable`). */
  save(page: CachePage, results: readonly ReportBlock[], run: { images: readonly ImageProvenance[]; readerEngine: ReaderEngine | null }, mode: Mode): void;
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
export function asReused(entry: Pick<StoredPage, 'blocks'>, display: string): ReportBlock[] {
  return entry.blocks.map((b) => ({ ...b, file: display, reused: true }));
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

/** `force`: run every page (entries are still refreshed). */
export async function openResultCache(opts: { timeoutScale: number; force: boolean; dir?: string }): Promise<ResultCache> {
  const store = new ResultStore(opts.dir ?? resultsDir());
  const run: RunInputs = await gatherRunInputs({ timeoutScale: opts.timeoutScale });
  const keyOf = (page: CachePage) => pageKey({ source: page.source, line: page.line, images: imagesMentioned([page.source]) }, run);
  return {
    lookup(page, mode) {
      if (opts.force || !cacheApplies(page, mode)) return null;
      const entry = store.get(keyOf(page));
      if (!entry || !reusable(entry, page)) return null;
      return { blocks: asReused(entry, page.display), images: entry.images, readerEngine: entry.readerEngine };
    },
    save(page, results, ran, mode) {
      if (!cacheApplies(page, mode) || !storable(results)) return;
      const key = keyOf(page);
      const refs = new Set(imageInputs({ images: imagesMentioned([page.source]) }, run).map(([ref]) => ref));
      try {
        store.put({
          schemaVersion: 1,
          key,
          storedAt: new Date().toISOString(),
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
