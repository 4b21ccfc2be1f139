import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a report file, its folder created. A failed write names the file: Node's write errors
 * (ENOSPC on a full disk) carry no path, and run/fatal.ts tells the user which file it was.
 */
export function writeReport(file: string, text: string): void {
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(file, text);
  } catch (e) {
    if (e instanceof Error) Object.assign(e, { path: (e as NodeJS.ErrnoException).path ?? file });
    throw e;
  }
}
