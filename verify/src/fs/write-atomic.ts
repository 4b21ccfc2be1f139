import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

// Writes a file whole or not at all: into a temporary file beside it, then renamed over it (a
// rename within one folder is atomic on POSIX). A killed run never leaves half a snapshot, half
// a page or half a cache entry, and readers never see one being written.
export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}
