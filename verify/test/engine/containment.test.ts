import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema, type Report } from '../../src/model/report.ts';

// A hostile page stays in its lab. The probe page documents that setting the clock, writing
// kernel/vm/fs sysctls, loading modules (no such capability) and mounting a host block device
// fail inside the lab, that the lab sees only its own cgroup tree with the harness's limits, and
// that a fork bomb stops at the lab's pids limit, while the nested engine still works. The page
// passes only if each of those holds; the host is checked to be untouched afterwards.

const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');
const page = path.join(import.meta.dirname, 'containment/probes.md');
const work = mkdtempSync(path.join(tmpdir(), 'curso-containment-'));
const printk = () => readFileSync('/proc/sys/kernel/printk', 'utf8');

let report: Report;
let exitCode: number | undefined;
let output: string;
let printkBefore: string;

beforeAll(async () => {
  printkBefore = printk();
  const run = await execa(process.execPath, [cli, '--no-color', '--no-snapshot', page, '--report', path.join(work, 'r.json')], {
    reject: false,
    all: true,
    env: { FORCE_COLOR: '0' },
  });
  exitCode = run.exitCode;
  output = run.all ?? '';
  report = ReportSchema.parse(JSON.parse(readFileSync(path.join(work, 'r.json'), 'utf8')));
}, 600_000);

describe('least-privilege labs (real engine)', () => {
  it('every containment probe fails inside the lab as documented, and Docker still works there', () => {
    expect(report.blocks.map((b) => [b.line, b.status]), output).toEqual([
      [10, 'passed'],
      [29, 'passed'],
      [37, 'passed'],
      [50, 'passed'],
      [68, 'passed'],
      [75, 'passed'],
    ]);
    expect(exitCode).toBe(0);
    const probes = report.blocks[0]!.steps.map((s) => s.actual);
    expect(probes[0]).toContain('Operation not permitted');
    expect(probes[4]).toBe('[]');
  });

  it('leaves the host untouched: its clock and kernel settings', () => {
    expect(new Date().getUTCFullYear()).toBeGreaterThanOrEqual(2026);
    expect(printk()).toBe(printkBefore);
  });
});
