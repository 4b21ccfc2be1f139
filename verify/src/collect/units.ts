import { readFileSync } from 'node:fs';
import path from 'node:path';
import { imagesMentioned } from '../engine/stand-ins/table.ts';
import { extractPage } from '../extract/markdown.ts';
import { isRunnable, type Block, type Page } from '../model/plan.ts';
import { display, type Target } from './collect.ts';
import { coursePlace, type CoursePlace } from './course.ts';

// What the runner runs, each in a lab of its own: a page (the default), or a locale's whole
// course in sidebar order (`--path`), as one reader follows it on one machine. Each unit says
// what its lab holds when it starts, so a lesson starts as the reader arrives at it.

/** What a unit's lab holds when its first block runs. */
export interface LabRequest {
  /**
   * The images already pulled, as the reader has them on arriving. Undefined: the base images
   * (busybox, debian:bookworm, debian:trixie), for pages that are not part of a course.
   */
  images?: readonly string[];
  /**
   * Where the lab's images live. A path holds everything the course pulls and builds, as a
   * reader's disk does; in memory it would count against the lab's memory limit.
   */
  storage?: 'memory' | 'disk';
}

export interface RunUnit {
  target: Target;
  /** The page's text; for a path, every lesson's, each after its file name. */
  source: string;
  page: Page;
  lab: LabRequest;
  /** A path: its blocks come from several files, and keep them when reused. */
  path: boolean;
}

/** A page of the run, its lab as the reader arrives at it. */
export function pageUnit(target: Target): RunUnit {
  const source = readFileSync(target.path, 'utf8');
  const place = coursePlace(target.path);
  const images = place && place.index >= 0 ? arrivalImages(place) : undefined;
  return { target, source, page: extractPage(target.display, source), lab: images ? { images } : {}, path: false };
}

/** The blocks a reader runs: not the hidden `verify-setup` ones, which prepare a page run alone. */
export function readerBlocks(page: Page): Block[] {
  return page.blocks.filter((b) => !b.annotations['verify-setup']);
}

/**
 * The official images the reader has pulled on arriving at a lesson: those the blocks of the
 * earlier lessons run or build from. Images the reader built are not among them: a lesson run
 * alone cannot have them, so the course does not rely on them (lessons clean up, listings filter).
 */
export function arrivalImages(place: CoursePlace): string[] {
  const earlier = place.lessons.slice(0, place.index).flatMap((file) => {
    try {
      return [extractPage(file, readFileSync(file, 'utf8'))];
    } catch {
      return []; // a lesson listed but not written yet
    }
  });
  const code = earlier.flatMap((p) =>
    readerBlocks(p)
      .filter(isRunnable)
      .map((b) => b.code),
  );
  return imagesMentioned(code);
}

/**
 * `--path`: for each locale the targets touch, its lessons in course order as one unit. A target
 * outside any course is an error naming it; lessons listed in course.json but missing are skipped
 * with a note in the returned `notes`.
 */
export function pathUnits(targets: readonly Target[], cwd: string): { units: RunUnit[]; notes: string[] } {
  const paths = new Map<string, CoursePlace>();
  for (const t of targets) {
    const place = coursePlace(t.path);
    if (!place)
      throw new PathError(
        `${t.display}: not part of a course (no course.json beside it or above its locale folder), so it has no reader's path`,
      );
    paths.set(`${place.root}|${place.locale}`, place);
  }
  const notes: string[] = [];
  const units = [...paths.values()].map((place) => {
    const pages: Page[] = [];
    const sources: string[] = [];
    for (const file of place.lessons) {
      let source: string;
      try {
        source = readFileSync(file, 'utf8');
      } catch {
        notes.push(`${display(file, cwd)}: listed in course.json but not found; the path goes on without it`);
        continue;
      }
      pages.push(extractPage(display(file, cwd), source));
      sources.push(`${display(file, cwd)}\n${source}`);
    }
    const name = `${display(path.join(place.root, place.locale), cwd) || '.'}/ (reader's path)`;
    const page: Page = { file: name, blocks: pages.flatMap(readerBlocks) };
    return {
      target: { path: place.root, display: name },
      source: sources.join('\0'),
      page,
      lab: { images: [], storage: 'disk' as const },
      path: true,
    };
  });
  return { units, notes };
}

export class PathError extends Error {}
