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

/**
 * The key's inputs, each as a short hash, in a fixed order. Stored beside the results so that a
 * later run can say which of them changed when a page is not reused (`describeChange`).
 */
export const KEY_PARTS = ['text', 'lab', 'images', 'harness', 'options'] as const;
export type KeyParts = Record<(typeof KEY_PARTS)[number], string>;

const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

export function keyParts(page: PageInputs, run: RunInputs): KeyParts {
  return {
    text: digest([page.source, page.line ?? null]),
    lab: digest([run.lab.suite, run.lab.recipe]),
    images: digest(imageInputs(page, run)),
    harness: run.harness,
    // Sorted entries: stable across key order in the options object.
    options: digest(Object.entries(run.options).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

export function pageKey(page: PageInputs, run: RunInputs): string {
  const parts = keyParts(page, run);
  return createHash('sha256')
    .update(JSON.stringify({ v: 2, parts: KEY_PARTS.map((p) => parts[p]) }))
    .digest('hex')
    .slice(0, 40);
}

const PART_WORDS: Record<keyof KeyParts, string> = {
  text: 'the page text',
  lab: 'the lab (its Debian suite or recipe)',
  images: 'the recipe of an image it uses',
  harness: 'the harness',
  options: 'the run options (--timeout-scale, lab settings)',
};

/** Which inputs differ between an earlier entry's parts and now, in words ('' when none). */
export function describeChange(before: Partial<KeyParts>, now: KeyParts): string {
  const changed = KEY_PARTS.filter((p) => before[p] !== now[p]).map((p) => PART_WORDS[p]);
  return changed.length <= 1 ? (changed[0] ?? '') : `${changed.slice(0, -1).join(', ')} and ${changed.at(-1)}`;
}
