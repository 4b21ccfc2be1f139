import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ImageProvenanceSchema, ReaderEngineSchema, ReportBlockSchema } from '../model/report.ts';

// Stored page results, one JSON file per cache key under <cacheDir>/results/. Nothing here is
// precious: a missing, unreadable or half-written entry is a miss, and the folder can be deleted
// at any time. Writes are atomic (a temporary file renamed into place), so runs at once
// (--jobs, other shells) never read half an entry.

export const StoredPageSchema = z.object({
  schemaVersion: z.literal(1),
  key: z.string(),
  storedAt: z.iso.datetime(),
  /** The images the run that produced the results used (provenance, for the report). */
  images: z.array(ImageProvenanceSchema),
  readerEngine: ReaderEngineSchema.nullable(),
  blocks: z.array(ReportBlockSchema),
});
export type StoredPage = z.infer<typeof StoredPageSchema>;

export class ResultStore {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  private file(key: string): string {
    if (!/^[0-9a-f]+$/.test(key)) throw new Error(`not a cache key: ${key}`);
    return path.join(this.dir, `${key}.json`);
  }

  get(key: string): StoredPage | null {
    let text: string;
    try {
      text = readFileSync(this.file(key), 'utf8');
    } catch {
      return null;
    }
    try {
      const entry = StoredPageSchema.parse(JSON.parse(text));
      return entry.key === key ? entry : null;
    } catch {
      // Written by another version of the harness, or damaged: a miss; the next run replaces it.
      return null;
    }
  }

  put(entry: StoredPage): void {
    mkdirSync(this.dir, { recursive: true });
    const target = this.file(entry.key);
    const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify(StoredPageSchema.parse(entry))}\n`);
      renameSync(tmp, target);
    } finally {
      rmSync(tmp, { force: true });
    }
  }
}
