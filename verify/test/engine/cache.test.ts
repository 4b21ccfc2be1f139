import { execa } from 'execa';
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSchema, type Report } from '../../src/model/report.ts';

// Incremental reruns through the real CLI and a real engine: a page that did not change is
// reported from its first run without starting the engine; --force and a changed page run.

const root = path.resolve(import.meta.dirname, '../../..');
const cli = path.join(root, 'verify/src/cli.ts');
const work = mkdtempSync(path.join(tmpdir(), 'curso-verify-cache-'));
const results = path.join(work, 'results');
const page = path.join(work, 'holds.md');
copyFileSync(path.join(import.meta.dirname, 'cache/holds.md'), page);

let n = 0;
async function verify(...args: string[]): Promise<{ report: Report; output: string; exitCode: number | undefined }> {
  const file = path.join(work, `report-${++n}.json`);
  const run = await execa(process.execPath, [cli, '--no-color', '--no-snapshot', '--report', file, ...args, page], {
    cwd: root,
    reject: false,
    all: true,
    // Reuse on (the engine project turns it off), in a results folder of this test's own.
    env: { FORCE_COLOR: '0', CURSO_VERIFY_REUSE: '1', CURSO_VERIFY_RESULTS: results },
  });
  return { report: ReportSchema.parse(JSON.parse(readFileSync(file, 'utf8'))), output: run.all ?? '', exitCode: run.exitCode };
}

describe('incremental reruns (real engine)', () => {
  it('reuses an unchanged page without starting the engine; --force and a changed page run again', async () => {
    const first = await verify();
    expect(first.exitCode).toBe(0);
    expect(first.report.run.engine).not.toBeNull();
    expect(first.report.blocks.map((b) => [b.status, b.reused])).toEqual([['passed', false]]);
    expect(readdirSync(results)).toHaveLength(1);

    const second = await verify();
    expect(second.exitCode).toBe(0);
    // No engine described, no lab: nothing was brought up.
    expect(second.report.run.engine).toBeNull();
    expect(second.output).not.toContain('engine ready');
    expect(second.output).toMatch(/reused \(verified \d{1,2} [A-Z][a-z]{2}/);
    expect(second.report.blocks.map((b) => [b.status, b.reused])).toEqual([['passed', true]]);
    expect(second.report.blocks[0]!.verifiedAt).toBe(first.report.blocks[0]!.verifiedAt);

    const forced = await verify('--force');
    expect(forced.report.run.engine).not.toBeNull();
    expect(forced.report.blocks.map((b) => b.reused)).toEqual([false]);
    expect(forced.report.blocks[0]!.verifiedAt > first.report.blocks[0]!.verifiedAt).toBe(true);

    appendFileSync(page, '\nOne more line of prose.\n');
    const changed = await verify();
    expect(changed.report.run.engine).not.toBeNull();
    expect(changed.report.blocks.map((b) => [b.status, b.reused])).toEqual([['passed', false]]);
  });
});
