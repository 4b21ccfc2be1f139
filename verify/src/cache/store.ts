import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ImageProvenanceSchema, ReaderEngineSchema, ReportBlockSchema } from '../model/report.ts';
import { KEY_PARTS } from './key.ts';
import { writeFileAtomic } from '../fs/write-atomic.ts';

// Stored page results, one JSON file per cache key under <cacheDir>/results/. Nothing here is
// precious: a missing, unreadable or half-written entry is a miss, and the folder can be deleted
// at any time. Writes are atomic (a temporary file renamed into place), so runs at once
// (--jobs, other shells) never read half an entry.

/** 3: results carry causes, not sentences (an entry of an older schema is a miss). */
export const STORE_SCHEMA_VERSION = 3;

export const StoredPageSchema = z.object({
  schemaVersion: z.literal(STORE_SCHEMA_VERSION),
  key: z.string(),
  storedAt: z.iso.datetime(),
  /** The page as it was run (its path then, the `:LINE`), to explain a later miss and to prune. */
  page: z.object({ display: z.string(), line: z.number().int().nullable() }),
  /** The Debian suite of the lab: entries of other engines are kept side by side. */
  suite: z.string(),
  /** The key's inputs as hashes (cache/key.ts keyParts). */
  parts: z.object(Object.fromEntries(KEY_PARTS.map((p) => [p, z.string()])) as Record<(typeof KEY_PARTS)[number], z.ZodString>),
  /** The images the run that produced the results used (provenance, for the report). */
  images: z.array(ImageProvenanceSchema),
  readerEngine: ReaderEngineSchema.nullable(),
  blocks: z.array(ReportBlockSchema),
});
export type StoredPage = z.infer<typeof StoredPageSchema>;

/** Entries kept per page path, `:LINE` and suite (the newest; see `put`). */
export const KEEP_PER_PAGE = 4;

/** Entries nobody has written for this long are removed when a store is opened. */
export const MAX_AGE_DAYS = 30;

export class ResultStore {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  private file(key: string): string {
    if (!/^[0-9a-f]+$/.test(key)) throw new Error(`not a cache key: ${key}`);
    return path.join(this.dir, `${key}.json`);
  }

  private read(file: string): StoredPage | null {
    try {
      return StoredPageSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      // Missing, written by another version of the harness, or damaged: a miss.
      return null;
    }
  }

  private entries(): { file: string; entry: StoredPage }[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => /^[0-9a-f]+\.json$/.test(n));
    } catch {
      return [];
    }
    return names.flatMap((n) => {
      const file = path.join(this.dir, n);
      const entry = this.read(file);
      return entry ? [{ file, entry }] : [];
    });
  }

  get(key: string): StoredPage | null {
    const entry = this.read(this.file(key));
    return entry?.key === key ? entry : null;
  }

  /** Entries as read at the first `latestFor` since the last `put` (each file parsed once per run). */
  private listed: { file: string; entry: StoredPage }[] | null = null;

  /** The newest entry stored for this page path and `:LINE` on this suite, whatever its key. */
  latestFor(display: string, line: number | null, suite: string): StoredPage | null {
    let best: StoredPage | null = null;
    this.listed ??= this.entries();
    for (const { entry } of this.listed) {
      if (entry.page.display !== display || entry.page.line !== line || entry.suite !== suite) continue;
      if (!best || entry.storedAt > best.storedAt) best = entry;
    }
    return best;
  }

  /**
   * Stores an entry, and drops the oldest of those it competes with (the same page path, `:LINE`
   * and suite) beyond `KEEP_PER_PAGE`. A few versions per page, not one: two clones or branches
   * at different commits share one store (a pull request's cache, a maintainer's two trees), and
   * a page that changes back costs nothing; the folder still stays a few entries per page and
   * engine instead of growing with every edit.
   */
  put(entry: StoredPage): void {
    mkdirSync(this.dir, { recursive: true });
    const target = this.file(entry.key);
    writeFileAtomic(target, `${JSON.stringify(StoredPageSchema.parse(entry))}\n`);
    this.listed = null;
    const rivals = this.entries()
      .filter(({ entry: old }) => old.page.display === entry.page.display && old.page.line === entry.page.line && old.suite === entry.suite)
      .filter(({ entry: old }) => old.key !== entry.key)
      .sort((a, b) => (a.entry.storedAt < b.entry.storedAt ? 1 : a.entry.storedAt > b.entry.storedAt ? -1 : 0));
    for (const { file } of rivals.slice(KEEP_PER_PAGE - 1)) rmSync(file, { force: true });
  }

  /** Removes entries and leftovers older than `days` (by file time); returns how many. */
  prune(days = MAX_AGE_DAYS, now = Date.now()): number {
    let removed = 0;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return 0;
    }
    for (const n of names) {
      const file = path.join(this.dir, n);
      try {
        if (now - statSync(file).mtimeMs > days * 86_400_000) {
          rmSync(file, { force: true });
          removed++;
        }
      } catch {
        // Removed meanwhile by another run.
      }
    }
    return removed;
  }
}
