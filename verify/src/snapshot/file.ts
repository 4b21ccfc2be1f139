import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SNAPSHOT_SCHEMA_VERSION, SnapshotSchema, type Snapshot } from './model.ts';
import { writeFileAtomic } from '../fs/write-atomic.ts';

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
  const parsed = SnapshotSchema.safeParse(migrate(json));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SnapshotError(`${file}: not a verification snapshot (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})`);
  }
  return parsed.data;
}

/** Written whole or not at all (a killed run never leaves half a snapshot). */
export function writeSnapshot(file: string, snapshot: Snapshot): void {
  writeFileAtomic(file, `${JSON.stringify(snapshot, null, 1)}\n`);
}

/**
 * A schema-1 snapshot (verdicts as English sentences) read as schema 2: statuses, proofs and
 * dates stand; the sentences are dropped, since no code may read meaning into prose, so its
 * causes are unknown (null) until the next `npm run verify` records them. Other input is
 * returned as it is, for the schema to judge.
 */
export function migrate(json: unknown): unknown {
  if (!isRecord(json) || json.schemaVersion !== 1 || !Array.isArray(json.blocks)) return json;
  const entry = (b: Record<string, unknown>) => {
    const { reason: _sentence, ...rest } = b;
    return { ...rest, cause: null, notes: [] };
  };
  return {
    ...json,
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    blocks: json.blocks.map((b) => {
      if (!isRecord(b)) return b;
      const moved = entry(b);
      return isRecord(b.path) ? { ...moved, path: entry(b.path) } : moved;
    }),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
