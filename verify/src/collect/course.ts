import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

// The course's lesson order (content/course.json, which the site's sidebar is built from):
// what the reader's path follows, and what "the lessons before this one" means for the state
// a lesson's own lab starts in. A course is a folder holding course.json: its pages are the
// root locale (Spanish), its `en/` folder the English twins under the same file names.

export const COURSE_FILE = 'course.json';

const CourseSchema = z.object({
  groups: z.array(
    z.object({
      label: z.string(),
      translations: z.record(z.string(), z.string()).optional(),
      items: z.array(z.string().regex(/^[a-z0-9-]+$/, 'a lesson is its file name without .md')),
    }),
  ),
});

export class CourseError extends Error {}

/** Where a page sits in its course: the course folder, its locale, and its place in the order. */
export interface CoursePlace {
  /** The folder that holds course.json. */
  root: string;
  /** '' for the root locale, 'en' for the English pages under `en/`. */
  locale: string;
  /** The lesson files of this locale, in course order (absolute paths; some may not exist). */
  lessons: string[];
  /** This page's index in `lessons`, or -1 when the page is in the folder but not in the order. */
  index: number;
}

const cache = new Map<string, string[]>();

/** The lesson slugs of the course at `root`, in order; a broken course.json names itself. */
export function courseSlugs(root: string): string[] {
  const hit = cache.get(root);
  if (hit) return hit;
  const file = path.join(root, COURSE_FILE);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CourseError(`${file}: ${(e as Error).message}`);
  }
  const parsed = CourseSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CourseError(`${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const slugs = parsed.data.groups.flatMap((g) => g.items);
  cache.set(root, slugs);
  return slugs;
}

/** The course a Markdown file belongs to (null: no course.json above it, at most two folders up). */
export function coursePlace(file: string): CoursePlace | null {
  const dir = path.dirname(path.resolve(file));
  for (const [root, locale] of [
    [dir, ''],
    [path.dirname(dir), path.basename(dir)],
  ] as const) {
    if (!existsSync(path.join(root, COURSE_FILE))) continue;
    if (locale !== '' && !/^[a-z]{2}$/.test(locale)) return null;
    const lessons = courseSlugs(root).map((slug) => lessonFile(root, locale, slug));
    return { root, locale, lessons, index: lessons.indexOf(path.resolve(file)) };
  }
  return null;
}

function lessonFile(root: string, locale: string, slug: string): string {
  const base = path.join(root, locale, slug);
  return existsSync(`${base}.mdx`) ? `${base}.mdx` : `${base}.md`;
}
