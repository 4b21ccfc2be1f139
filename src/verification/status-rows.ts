import { blockKey, engineResults, type SnapshotBlock } from '../../verify/src/index.ts';
import { badgeKey, type BadgeKey } from '../expressive-code/verification-badge.ts';
import { badgeData, type BadgeData, type PageBlock } from '../remark/verification-status.ts';
import { blockHref, fileSlug, lessonUrl, localeOfFile, pageSlug, rowId, type Lang } from './anchors.ts';

// The status page's content: every block of the pages of one locale, in page order, with its
// last verification from the snapshot (or "not verified yet"), and counts per lesson and for
// the whole course. A block counts under what its badge says, so a file no step uses is "not
// checked", never "verified". Snapshot entries that no block of the pages matches any more
// (the block was edited or removed since it ran) are counted apart, so the totals add up to the
// snapshot. Pure.

/** What a badge says, grouped for counting. */
export type Category = 'verified' | 'notChecked' | 'failed' | 'error' | 'notRun' | 'unverified';
export const CATEGORIES: readonly Category[] = ['verified', 'notChecked', 'failed', 'error', 'notRun', 'unverified'];

const CATEGORY_OF: Record<BadgeKey, Category> = {
  output: 'verified',
  exitStatus: 'verified',
  used: 'verified',
  written: 'notChecked',
  unchecked: 'notChecked',
  failed: 'failed',
  error: 'error',
  skipped: 'notRun',
  display: 'notRun',
  shownOutput: 'notRun',
  unverified: 'unverified',
};

export const categoryOf = (key: BadgeKey): Category => CATEGORY_OF[key];

export type Counts = Record<Category | 'total', number>;

export interface LessonInput {
  /** Relative to the project root: `content/red.md`. */
  file: string;
  title: string;
  blocks: readonly PageBlock[];
}

export interface StatusRow {
  /** The row's id, which the block's badge links to. */
  id: string;
  /** The block in its lesson; a hidden setup block has no place there, so the lesson itself. */
  href: string;
  hidden: boolean;
  line: number;
  label: string;
  /** What the block's badge is built from. */
  badge: BadgeData;
  key: BadgeKey;
  category: Category;
  /** Its status on the reader's path (the lessons in order, in one lab); null: not run there yet. */
  path: PathStatus | null;
}

/** A block on the reader's path: `hidden` setup blocks are not part of it. */
export type PathStatus = 'passed' | 'failed' | 'error' | 'skipped';

/** A lesson on the reader's path: whether every block the path ran held. */
export interface PathHold {
  held: boolean;
  /** Blocks with a path result. */
  blocks: number;
  /** Of those, the ones that failed or could not be verified. */
  notHeld: number;
}

export interface LessonStatus {
  file: string;
  title: string;
  url: string;
  /** The id of the lesson's section on the status page. */
  sectionId: string;
  rows: StatusRow[];
  counts: Counts;
  /** The reader's Docker versions the lesson's blocks were verified on, newest first. */
  engines: EngineHold[];
  /** The lesson on the reader's path, or null when the path has not run it. */
  path: PathHold | null;
}

/** A lesson on one engine of the matrix: whether every block that ran there held. */
export interface EngineHold {
  docker: string;
  held: boolean;
  /** Blocks with a result on that engine. */
  blocks: number;
}

export interface CourseStatus {
  lang: Lang;
  lessons: LessonStatus[];
  counts: Counts;
  /** Snapshot entries of this locale's pages that match no block of them any more. */
  stale: SnapshotBlock[];
}

export const emptyCounts = (): Counts => ({ verified: 0, notChecked: 0, failed: 0, error: 0, notRun: 0, unverified: 0, total: 0 });

function count(rows: readonly StatusRow[]): Counts {
  const counts = emptyCounts();
  for (const row of rows) {
    counts[row.category] += 1;
    counts.total += 1;
  }
  return counts;
}

/**
 * The engines a lesson's snapshot entries record results for (the default engine's and the
 * matrix's others), and whether all of them held there. Only real results: an engine that never
 * ran the lesson is not listed.
 */
export function lessonEngines(entries: readonly SnapshotBlock[]): EngineHold[] {
  const byDocker = new Map<string, EngineHold>();
  for (const result of entries.flatMap(engineResults)) {
    const hold = byDocker.get(result.docker) ?? { docker: result.docker, held: true, blocks: 0 };
    hold.blocks += 1;
    if (result.status === 'failed' || result.status === 'error') hold.held = false;
    byDocker.set(result.docker, hold);
  }
  return [...byDocker.values()].sort((a, b) => b.docker.localeCompare(a.docker, 'en', { numeric: true }));
}

/** How a lesson's blocks fared on the reader's path (null: none ran there). */
export function pathHold(rows: readonly Pick<StatusRow, 'path'>[]): PathHold | null {
  const ran = rows.filter((r) => r.path !== null);
  if (ran.length === 0) return null;
  const notHeld = ran.filter((r) => r.path === 'failed' || r.path === 'error').length;
  return { held: notHeld === 0, blocks: ran.length, notHeld };
}

/** The status of every block of `lessons` (the pages of one locale, in the order to show them). */
export function courseStatus(lang: Lang, lessons: readonly LessonInput[], snapshot: readonly SnapshotBlock[]): CourseStatus {
  const verifications = new Map(snapshot.map((b) => [blockKey(b), b]));
  const matched = new Set<string>();
  const out: LessonStatus[] = [];
  for (const lesson of lessons) {
    if (localeOfFile(lesson.file) !== lang || lesson.blocks.length === 0) continue;
    const entries: SnapshotBlock[] = [];
    const rows = lesson.blocks.map((block): StatusRow => {
      const ref = { file: lesson.file, digest: block.digest, occurrence: block.occurrence };
      const key = blockKey(ref);
      const v = verifications.get(key);
      if (v) {
        matched.add(key);
        entries.push(v);
      }
      const badge = badgeData(v, ref);
      const badgeKeyOf = v ? badgeKey(badge) : 'unverified';
      return {
        id: rowId(ref),
        href: block.hidden ? lessonUrl(lesson.file) : blockHref(ref),
        hidden: block.hidden,
        line: block.line,
        label: block.label,
        badge,
        key: badgeKeyOf,
        category: categoryOf(badgeKeyOf),
        path: v?.path?.status ?? null,
      };
    });
    out.push({
      file: lesson.file,
      title: lesson.title,
      url: lessonUrl(lesson.file),
      sectionId: `${lang === 'en' ? 'lesson' : 'leccion'}-${fileSlug(lesson.file)}`,
      rows,
      counts: count(rows),
      engines: lessonEngines(entries),
      path: pathHold(rows),
    });
  }
  const stale = snapshot.filter((b) => localeOfFile(b.file) === lang && !matched.has(blockKey(b)));
  return { lang, lessons: out, counts: count(out.flatMap((l) => l.rows)), stale };
}

/** A sidebar config item, as Starlight's config keeps it (a string item becomes `{ slug }`). */
export type SidebarItem = { slug: string } | { link: string } | { items: readonly SidebarItem[] } | { autogenerate: unknown };

/** The slugs of the course pages the sidebar config lists, in its order. */
export function sidebarSlugs(items: readonly SidebarItem[]): string[] {
  return items.flatMap((item) => ('slug' in item ? [item.slug] : 'items' in item ? sidebarSlugs(item.items) : []));
}

/** Pages in the sidebar's order (`slugs`); pages it does not list follow, by file name. */
export function inSidebarOrder<T extends { file: string }>(pages: readonly T[], slugs: readonly string[]): T[] {
  const rank = (p: T) => {
    const i = slugs.indexOf(pageSlug(p.file));
    return i === -1 ? slugs.length : i;
  };
  return [...pages].sort((a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file));
}
