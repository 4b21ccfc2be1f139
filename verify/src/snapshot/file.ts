import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SnapshotSchema, type Snapshot } from './model.ts';

/** content/verification.json under the project root. */
export function defaultSnapshotPath(root: string): string {
  return path.join(root, 'content', 'verification.json');
}

export class SnapshotError extends Error {}

/** The snapshot at `file`, or null when there is none; a broken one is a clear error. */
export function readSnapshot(file: string): Snapshot | null {
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SnapshotError(`${file}: not valid JSON (${(e as Error).message}); restore it from git or delete it and rerun npm run verify`);
  }
  const parsed = SnapshotSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SnapshotError(`${file}: not a verification snapshot (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})`);
  }
  return parsed.data;
}

/** Written whole or not at all (a killed run never leaves half a snapshot). */
export function writeSnapshot(file: string, snapshot: Snapshot): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(snapshot, null, 1)}\n`);
  renameSync(tmp, file);
}
