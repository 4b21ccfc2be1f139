import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSchema, type Report } from '../../src/model/report.ts';
import { readSnapshot } from '../../src/snapshot/file.ts';

// The reader's path through the real CLI and a real engine, on a two-lesson course
// (path-course/): a lesson run alone starts with the images the lessons before it pulled, and
// on the path the lessons share one lab, one shell, and what each leaves behind, without the
// verify-setup blocks that only prepare a page run alone.

const root = path.resolve(import.meta.dirname, '../../..');
const cli = path.join(root, 'verify/src/cli.ts');
const work = mkdtempSync(path.join(tmpdir(), 'curso-verify-path-'));
const course = path.join(work, 'course');
cpSync(path.join(import.meta.dirname, 'path-course'), course, { recursive: true });

let n = 0;
async function verify(...args: string[]): Promise<{ report: Report; output: string; exitCode: number | undefined }> {
  const file = path.join(work, `report-${++n}.json`);
  const run = await execa(process.execPath, [cli, '--no-color', '--report', file, ...args], {
    cwd: work,
    reject: false,
    all: true,
    env: { FORCE_COLOR: '0', INIT_CWD: work },
  });
  return { report: ReportSchema.parse(JSON.parse(readFileSync(file, 'utf8'))), output: run.all ?? '', exitCode: run.exitCode };
}
const rows = (r: Report) => r.blocks.map((b) => [b.file, b.line, b.status]);

describe("the reader's path (real engine)", () => {
  it('a lesson run alone holds only the images earlier lessons pulled; on the path its setup is left out and state carries over', async () => {
    const snap = path.join(course, 'verification.json');
    writeFileSync(
      snap,
      JSON.stringify({ schemaVersion: 1, updatedAt: new Date().toISOString(), readerEngine: null, images: [], blocks: [] }),
    );
    // Alone, `uno` starts with no image (busybox is pulled), `dos` with busybox only.
    const alone = await verify('--snapshot', snap, course);
    expect(rows(alone.report), alone.output).toEqual([
      ['course/dos.md', 8, 'passed'],
      ['course/dos.md', 14, 'passed'],
      ['course/en/dos.md', 8, 'passed'],
      ['course/en/dos.md', 14, 'passed'],
      ['course/en/uno.md', 7, 'passed'],
      ['course/uno.md', 7, 'passed'],
    ]);

    const walked = await verify('--snapshot', snap, '--path', course);
    expect(walked.output).toContain("verifying the reader's path: course/ (reader's path), course/en/ (reader's path)");
    expect(walked.report.run.scope).toBe('path');
    // Both locales, each in course order, the setup block of `dos` not among them.
    expect(rows(walked.report), walked.output).toEqual([
      ['course/uno.md', 7, 'passed'],
      ['course/dos.md', 14, 'passed'],
      ['course/en/uno.md', 7, 'passed'],
      ['course/en/dos.md', 14, 'passed'],
    ]);
    // Recorded beside each block's own result (the page runs recorded theirs first).
    const snapshot = readSnapshot(snap)!;
    expect(snapshot.blocks.find((b) => b.file === 'course/dos.md' && b.line === 14)).toMatchObject({
      status: 'passed',
      path: { status: 'passed' },
    });
    expect(
      snapshot.blocks.find((b) => b.file === 'course/dos.md' && b.line === 8)!.path,
      'setup blocks are not on the path',
    ).toBeUndefined();

    const checked = await verify('--snapshot', snap, '--check', '--path', course);
    expect(checked.exitCode, checked.output).toBe(0);
  });

  it('refuses --update and page.md:LINE, which work on pages alone', async () => {
    const run = await execa(process.execPath, [cli, '--path', '--update', course], { cwd: work, reject: false, all: true });
    expect(run.exitCode).toBe(2);
    expect(run.all).toContain('--path runs whole lessons in order in one lab; --update works on pages run alone');
  });
});
