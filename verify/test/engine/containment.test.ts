import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/markdown.ts';
import { ReportSchema, type Report } from '../../src/model/report.ts';
import { verdictWords } from '../../src/report/cause-words.ts';

// A hostile page stays in its lab. The probe page documents that setting the clock, writing
// kernel/vm/fs sysctls, loading modules (no such capability) and mounting a host block device
// fail inside the lab, that the lab sees only its own cgroup tree with the harness's limits, and
// that a fork bomb stops at the lab's pids limit, while the nested engine still works. The page
// passes only if each of those holds; the host is checked to be untouched afterwards.

const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');
const page = path.join(import.meta.dirname, 'containment/probes.md');
const work = mkdtempSync(path.join(tmpdir(), 'curso-containment-'));
const printk = () => readFileSync('/proc/sys/kernel/printk', 'utf8');

/** The CLI on one page, as a maintainer runs it: exit code, what it printed, its JSON report. */
async function verifyPage(file: string, name: string): Promise<{ exitCode: number | undefined; output: string; report: Report }> {
  const json = path.join(work, `${name}.json`);
  const run = await execa(process.execPath, [cli, '--no-color', '--no-snapshot', file, '--report', json], {
    reject: false,
    all: true,
    env: { FORCE_COLOR: '0' },
  });
  return { exitCode: run.exitCode, output: run.all ?? '', report: ReportSchema.parse(JSON.parse(readFileSync(json, 'utf8'))) };
}

let report: Report;
let exitCode: number | undefined;
let output: string;
let printkBefore: string;

beforeAll(async () => {
  printkBefore = printk();
  ({ exitCode, output, report } = await verifyPage(page, 'probes'));
}, 600_000);

describe('least-privilege labs (real engine)', () => {
  it('every containment probe fails inside the lab as documented, and Docker still works there', () => {
    // Every block of the page, as the page has them, passed.
    const blocks = extractPage(page, readFileSync(page, 'utf8')).blocks;
    expect(
      report.blocks.map((b) => [b.line, b.status]),
      output,
    ).toEqual(blocks.map((b) => [b.line, 'passed']));
    expect(exitCode).toBe(0);
    const probes = new Map(report.blocks[0]!.steps.map((s) => [s.command.split(' ').slice(0, 2).join(' '), s.actual]));
    expect(probes.get('id -un;')).toBe('lector\nlector docker');
    expect(probes.get('sudo date')).toContain('Operation not permitted');
    expect(probes.get('python3 -c')).toBe('[]');
  });

  it('leaves the host untouched: its clock and kernel settings', () => {
    expect(new Date().getUTCFullYear()).toBeGreaterThanOrEqual(2026);
    expect(printk()).toBe(printkBefore);
  });
});

describe('resource bounds (real engine)', () => {
  const memoryPage = path.join(import.meta.dirname, 'containment/memory.md');
  let mem: Report;
  let memExit: number | undefined;
  let memOutput = '';

  beforeAll(async () => {
    ({ exitCode: memExit, output: memOutput, report: mem } = await verifyPage(memoryPage, 'memory'));
  }, 600_000);

  it('a page that fills memory fails at the lab limit, and the failing step says so', () => {
    expect(memExit, memOutput).toBe(1);
    const [hog] = mem.blocks;
    expect(hog!.status).toBe('failed');
    expect(hog!.steps[0]!.notes).toContainEqual(expect.objectContaining({ kind: 'lab-limits', oomKills: expect.any(Number), since: null }));
    expect(verdictWords(hog!.steps[0]!)).toMatch(
      /the lab ran out of memory: a process was killed at the lab's limit of \d+ GiB \(since the page began\)/,
    );
    expect(memOutput).toMatch(/ran out of memory/);
  });

  it('the lab goes on working after it', () => {
    expect(mem.blocks[1]!.status).toBe('passed');
  });
});
