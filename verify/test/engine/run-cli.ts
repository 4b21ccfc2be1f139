import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReportSchema, type Report } from '../../src/model/report.ts';

// One run of the real CLI (`npm run verify`) over fixture pages, as the engine tests make it:
// its JSON report, its exit code and everything it printed.

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const CLI = path.join(ROOT, 'verify/src/cli.ts');

export interface CliRun {
  report: Report;
  exitCode: number | undefined;
  output: string;
}

export async function verifyPages(pages: string, extra: string[] = []): Promise<CliRun> {
  const work = mkdtempSync(path.join(tmpdir(), 'curso-verify-run-'));
  const out = path.join(work, 'report.json');
  const run = await execa(process.execPath, [CLI, '--no-color', '--no-snapshot', pages, '--report', out, ...extra], {
    cwd: ROOT,
    reject: false,
    all: true,
    env: { FORCE_COLOR: '0' },
  });
  return { report: ReportSchema.parse(JSON.parse(readFileSync(out, 'utf8'))), exitCode: run.exitCode, output: run.all ?? '' };
}
