import { execa } from 'execa';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SnapshotSchema, type Snapshot } from '../../src/snapshot/model.ts';

// CI guards the proof: a run refreshes the committed snapshot; `--check` compares a later run
// with it and fails, naming the block, when an example that held no longer holds or a changed
// example does not hold. Real CLI, real engine, a throwaway project with one page.

const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');
const project = mkdtempSync(path.join(tmpdir(), 'curso-snapshot-test-'));
const content = path.join(project, 'content');
const page = path.join(content, 'page.md');
const snapshotFile = path.join(content, 'verification.json');
const original = readFileSync(path.join(import.meta.dirname, 'snapshot/page.md'), 'utf8');

function verify(args: string[]) {
  return execa(process.execPath, [cli, '--no-color', ...args, content], {
    cwd: project,
    reject: false,
    all: true,
    env: { FORCE_COLOR: '0', INIT_CWD: project },
  });
}
const readSnapshotFile = (): Snapshot => SnapshotSchema.parse(JSON.parse(readFileSync(snapshotFile, 'utf8')));

let first: Snapshot;

beforeAll(async () => {
  mkdirSync(content, { recursive: true });
  cpSync(path.join(import.meta.dirname, 'snapshot/page.md'), page);
  const run = await verify([]);
  expect(run.exitCode, run.all).toBe(0);
  first = readSnapshotFile();
}, 600_000);

describe('the verification snapshot and --check (real engine)', () => {
  it('records every block of the page with its proof and the reader engine', () => {
    expect(first.blocks.map((b) => [b.line, b.status, b.proof])).toEqual([
      [7, 'passed', 'exit-status'],
      [11, 'passed', 'output'],
      [16, 'passed', 'output'],
    ]);
    expect(first.blocks[1]!.docker).toMatch(/^\d+\.\d+/);
    expect(first.readerEngine?.docker).toBe(first.blocks[1]!.docker);
  });

  it('--check passes when the course still holds, and writes nothing', async () => {
    const before = readFileSync(snapshotFile, 'utf8');
    const run = await verify(['--check']);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).toContain('course: 3 held, 0 regressed, 0 new, 0 error');
    expect(readFileSync(snapshotFile, 'utf8')).toBe(before);
  });

  it('--check fails and names a block that held and no longer does', async () => {
    // The example itself is unchanged; what it relies on changed.
    writeFileSync(page, original.replace('echo hello >', 'echo bye >'));
    const run = await verify(['--check']);
    expect(run.exitCode, run.all).toBe(1);
    expect(run.all).toMatch(/✗ regressed: .*content\/page\.md:11/);
    expect(run.all).toContain('+ bye');
    expect(run.all).toContain('1 regressed');
  });

  it('--check fails and names a changed example whose documented output is wrong', async () => {
    writeFileSync(page, original.replace('uno dos\n```', 'uno tres\n```'));
    const run = await verify(['--check']);
    expect(run.exitCode, run.all).toBe(1);
    expect(run.all).toMatch(/✗ new or changed, does not hold: .*content\/page\.md:16/);
    expect(run.all).toContain('- uno tres');
  });
});
