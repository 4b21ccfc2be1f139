import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { blockKey, readSnapshot, type SnapshotBlock } from '../../verify/src/index.ts';

// The site's view of the verification snapshot (content/verification.json, committed beside the
// content; VERIFY_SNAPSHOT points elsewhere): for each fenced block, found by its identity
// (verify/src/model/block-id.ts), its last verification. A block that changed since, or a
// build without a snapshot, honestly says it has not been verified yet.

let cache: { file: string; mtimeMs: number; index: Map<string, SnapshotBlock> } | null = null;

export function snapshotPath(): string {
  return path.resolve(process.env.VERIFY_SNAPSHOT ?? path.join('content', 'verification.json'));
}

/** Map of blockKey (file relative to the project root, digest, occurrence) → last verification. */
export function loadVerifications(file = snapshotPath()): Map<string, SnapshotBlock> {
  if (!existsSync(file)) return new Map();
  const mtimeMs = statSync(file).mtimeMs;
  if (cache && cache.file === file && cache.mtimeMs === mtimeMs) return cache.index;
  const snapshot = readSnapshot(file);
  const index = new Map((snapshot?.blocks ?? []).map((b) => [blockKey(b), b]));
  cache = { file, mtimeMs, index };
  return index;
}
