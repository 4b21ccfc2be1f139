import { createHash } from 'node:crypto';

// The cache key of a page's results: a hash of everything the results depend on, by content,
// never by path (the same text elsewhere is the same page). Pure: the inputs are gathered once
// per run by cache/inputs.ts, so no engine is needed to decide that a page can be reused.

/** What every page of a run shares. */
export interface RunInputs {
  /** The reader's machine: the lab's Debian suite (which decides its Docker) and its recipe hash. */
  lab: { suite: string; recipe: string };
  /** Per image tag the harness can stand in for, the hash of its stand-in recipe. */
  imageRecipes: Readonly<Record<string, string>>;
  /** Images every lab has whether or not the page mentions them. */
  baseImages: readonly string[];
  /** Hash of the harness's own sources and dependencies: a change to how pages are judged. */
  harness: string;
  /** Options and settings that change what a run observes (timeouts, lab configuration…). */
  options: Readonly<Record<string, string | number | boolean | null>>;
}

export interface PageInputs {
  /** The page file's whole text: its blocks, annotations and the files it writes. */
  source: string;
  /** `page.md:LINE`: the line (only that block is reported); undefined for the whole page. */
  line: number | undefined;
  /** The tags the page mentions (stand-ins/table.ts imagesMentioned). */
  images: readonly string[];
}

/** The images a page's results depend on, each with its recipe hash (or "registry" when none). */
export function imageInputs(page: Pick<PageInputs, 'images'>, run: Pick<RunInputs, 'imageRecipes' | 'baseImages'>): [string, string][] {
  const refs = [...new Set([...run.baseImages, ...page.images])].sort();
  return refs.map((ref) => [ref, run.imageRecipes[ref] ?? 'registry']);
}

export function pageKey(page: PageInputs, run: RunInputs): string {
  // JSON of sorted entries: unambiguous, and stable across key order in the objects above.
  const material = JSON.stringify({
    v: 1,
    source: page.source,
    line: page.line ?? null,
    lab: [run.lab.suite, run.lab.recipe],
    images: imageInputs(page, run),
    harness: run.harness,
    options: Object.entries(run.options).sort(([a], [b]) => (a < b ? -1 : 1)),
  });
  return createHash('sha256').update(material).digest('hex').slice(0, 40);
}
