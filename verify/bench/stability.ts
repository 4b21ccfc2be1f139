import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReportSchema } from '../src/model/report.ts';

// Flakes: the same course run N times in a row, every page really run (--force, with a results
// folder of its own), and each block's status compared across the runs. Prints the figure;
// asserts nothing.

const cli = path.resolve(import.meta.dirname, '../src/cli.ts');

export async function stabilityFigures(opts: { course: string; runs: number; jobs: number }): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'curso-bench-stability-'));
  try {
    const statuses = new Map<string, string[]>();
    const seconds: number[] = [];
    for (let i = 1; i <= opts.runs; i++) {
      const out = path.join(work, `run-${i}.json`);
      const t0 = Date.now();
      const r = await execa(
        process.execPath,
        [cli, '--force', '--no-snapshot', '--no-color', '--jobs', String(opts.jobs), '--report', out, opts.course],
        {
          reject: false,
          all: true,
          env: { CURSO_VERIFY_RESULTS: path.join(work, 'results'), FORCE_COLOR: '0' },
        },
      );
      seconds.push((Date.now() - t0) / 1000);
      const report = ReportSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
      for (const b of report.blocks) {
        const key = `${b.file}:${b.line}`;
        statuses.set(key, [...(statuses.get(key) ?? []), b.status]);
      }
      const s = report.summary;
      console.log(
        `run ${i}/${opts.runs}: exit ${r.exitCode}, ${seconds.at(-1)!.toFixed(1)} s, ${s.total} blocks: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.error} error`,
      );
    }
    const differing = [...statuses].filter(([, st]) => st.length !== opts.runs || new Set(st).size > 1);
    console.log(
      `\nstability over ${opts.runs} forced runs (--jobs ${opts.jobs}): ${statuses.size} blocks, ${statuses.size - differing.length} with the same status in every run, ${differing.length} that differed`,
    );
    for (const [key, st] of differing) console.log(`  ${key}: ${st.join(' → ')}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
