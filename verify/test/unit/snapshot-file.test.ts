import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSnapshotPath, migrate, readSnapshot, SnapshotError, writeSnapshot } from '../../src/snapshot/file.ts';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../../src/snapshot/model.ts';

// content/verification.json on disk: a schema-1 snapshot (verdicts as English sentences) reads
// as schema 2 with its causes unknown; anything else that is not a snapshot is an error naming
// the file.

const dir = mkdtempSync(path.join(tmpdir(), 'curso-snapshot-file-'));
let n = 0;
/** `json` written to a file of its own; its path. */
function file(json: unknown): string {
  const f = path.join(dir, `${n++}-verification.json`);
  writeFileSync(f, typeof json === 'string' ? json : JSON.stringify(json, null, 1));
  return f;
}

const at = '2026-12-07T03:23:32.945Z';
const readerEngine = { docker: '28.5.2+dfsg4', buildx: '0.29.1+ds1', compose: '2.40.3-3', suite: 'forky' };
const images = [{ ref: 'busybox:latest', source: 'stand-in' as const, how: 'busybox-static + docker import', id: null }];

/** A snapshot as schema 1 wrote it: a `reason` sentence on each entry and on its path result. */
const schema1 = {
  schemaVersion: 1,
  updatedAt: at,
  readerEngine,
  images,
  blocks: [
    {
      file: 'content/red.md',
      line: 12,
      digest: 'a1',
      occurrence: 0,
      status: 'failed',
      reason: 'output differs from the documented output',
      proof: 'output',
      verifiedAt: at,
      docker: '28.5.2+dfsg4',
      standIns: ['busybox:latest'],
      engines: { '26': { docker: '26.1.5+dfsg1', status: 'passed', proof: 'output', verifiedAt: at } },
      path: {
        status: 'failed',
        reason: 'output differs; on the reader\'s path, "web" was left by an earlier lesson (content/a.md:3)',
        verifiedAt: at,
        docker: '28.5.2+dfsg4',
      },
    },
    {
      file: 'content/red.md',
      line: 20,
      digest: 'b2',
      occurrence: 0,
      status: 'skipped',
      reason: 'display only: a `php` block with no title="…" file name',
      proof: 'none',
      verifiedAt: at,
      docker: null,
      standIns: [],
    },
    {
      file: 'content/red.md',
      line: 30,
      digest: 'c3',
      occurrence: 0,
      status: 'passed',
      reason: null,
      proof: 'output',
      verifiedAt: at,
      docker: '28.5.2+dfsg4',
      standIns: [],
    },
  ],
};

describe('migrate: a schema-1 snapshot', () => {
  it('keeps statuses, proofs, dates and engines, and drops the sentences: its causes are unknown until the next run', () => {
    const migrated = migrate(schema1) as Snapshot;
    expect(migrated.schemaVersion).toBe(SNAPSHOT_SCHEMA_VERSION);
    expect(migrated).toMatchObject({ updatedAt: at, readerEngine, images });
    const { reason: _a, path: oldPath, ...first } = schema1.blocks[0]!;
    const { reason: _b, ...second } = schema1.blocks[1]!;
    const { reason: _c, ...third } = schema1.blocks[2]!;
    const { reason: _d, ...pathRest } = oldPath!;
    expect(migrated.blocks).toEqual([
      { ...first, cause: null, notes: [], path: { ...pathRest, cause: null, notes: [] } },
      { ...second, cause: null, notes: [] },
      { ...third, cause: null, notes: [] },
    ]);
    expect(JSON.stringify(migrated)).not.toMatch(/"reason"/);
  });

  it('returns anything else as it is, for the schema to judge', () => {
    const current = { ...schema1, schemaVersion: SNAPSHOT_SCHEMA_VERSION };
    expect(migrate(current)).toBe(current);
    for (const other of [
      null,
      'text',
      3,
      [schema1],
      { schemaVersion: 1 },
      { schemaVersion: 1, blocks: 'none' },
      { ...schema1, schemaVersion: 7 },
    ]) {
      expect(migrate(other)).toBe(other);
    }
  });
});

describe('readSnapshot', () => {
  it('reads a schema-1 file as schema 2, the path result included', () => {
    const snapshot = readSnapshot(file(schema1))!;
    expect(snapshot.schemaVersion).toBe(SNAPSHOT_SCHEMA_VERSION);
    expect(snapshot.blocks.map((b) => [b.line, b.status, b.proof, b.cause, b.notes])).toEqual([
      [12, 'failed', 'output', null, []],
      [20, 'skipped', 'none', null, []],
      [30, 'passed', 'output', null, []],
    ]);
    expect(snapshot.blocks[0]!.path).toEqual({ status: 'failed', cause: null, notes: [], verifiedAt: at, docker: '28.5.2+dfsg4' });
    expect(snapshot.blocks[0]!.engines).toEqual(schema1.blocks[0]!.engines);
  });

  it('writes schema 2 back, which reads as written', () => {
    const snapshot = readSnapshot(file(schema1))!;
    const note = { kind: 'left-by-earlier-lesson', name: 'web', file: 'content/a.md', line: 3 } as const;
    const withCause: Snapshot = {
      ...snapshot,
      blocks: snapshot.blocks.map((b, i) => (i === 0 ? { ...b, cause: { kind: 'output-differs' }, notes: [note] } : b)),
    };
    const f = path.join(dir, 'written.json');
    writeSnapshot(f, withCause);
    expect(readSnapshot(f)).toEqual(withCause);
  });

  it('has nothing to say when there is no file', () => {
    expect(readSnapshot(path.join(dir, 'missing.json'))).toBeNull();
  });

  it('refuses anything else with a clear error naming the file', () => {
    const cases: [unknown, RegExp][] = [
      ['{"schemaVersion": 1, "blocks": [', /not valid JSON .*restore it from git or delete it/],
      [{ ...schema1, schemaVersion: 7 }, /not a verification snapshot \(schemaVersion: /],
      [{ schemaVersion: 1, updatedAt: at }, /not a verification snapshot/],
      // A schema-2 file still holding sentences is not migrated: its entries lack causes.
      [{ ...schema1, schemaVersion: SNAPSHOT_SCHEMA_VERSION }, /not a verification snapshot \(blocks\.0\.cause: /],
      // A schema-1 entry that is broken beyond its sentences stays broken.
      [{ ...schema1, blocks: [{ ...schema1.blocks[2], status: 'maybe' }] }, /not a verification snapshot \(blocks\.0\.status: /],
      [[], /not a verification snapshot/],
    ];
    for (const [json, message] of cases) {
      const f = file(json);
      expect(() => readSnapshot(f)).toThrow(SnapshotError);
      expect(() => readSnapshot(f)).toThrow(new RegExp(`^${RegExp.escape(f)}: ${message.source}`));
    }
  });

  it('reads the committed snapshot, whichever schema it is in', () => {
    const committed = readSnapshot(defaultSnapshotPath(path.resolve(import.meta.dirname, '../../..')));
    expect(committed?.schemaVersion ?? SNAPSHOT_SCHEMA_VERSION).toBe(SNAPSHOT_SCHEMA_VERSION);
  });
});
