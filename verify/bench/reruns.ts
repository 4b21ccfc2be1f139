import { execa } from 'execa';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { collectTargets } from '../src/collect/collect.ts';
import { extractPage } from '../src/extract/markdown.ts';
import { isRunnable } from '../src/model/plan.ts';
import { ReportSchema, type Report } from '../src/model/report.ts';
import { verdictWords } from '../src/report/cause-words.ts';

// The figures of incremental reruns and parallel labs, measured on a copy of the course with
// the CLI a maintainer runs, each with its own results folder (the maintainer's cache is never
// read nor written):
//  - forced: every page really runs (--force);
//  - unchanged: the same command again, nothing changed;
//  - one page changed: a sentence added to one page's prose;
//  - --jobs 1 against --jobs 2, forced, over the first six pages with runnable blocks (as collected);
//  - the forced run's wall time against the sum of its blocks' own times (what the pages cost
//    with no harness around them and one page at a time): below 1 is what parallel labs win.

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'verify/src/cli.ts');

interface Timed {
  label: string;
  seconds: number;
  ran: number;
  reused: number;
  pages: number;
  report: Report;
}

async function verify(label: string, paths: string[], work: string, extra: string[]): Promise<Timed> {
  const out = path.join(work, `${label.replace(/\W+/g, '-')}.json`);
  const t0 = process.hrtime.bigint();
  const r = await execa(process.execPath, [cli, '--no-snapshot', '--no-color', '--report', out, ...extra, ...paths], {
    reject: false,
    all: true,
    env: { CURSO_VERIFY_RESULTS: path.join(work, 'results'), FORCE_COLOR: '0' },
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.exitCode === 2) throw new Error(`${label}: the harness could not run (exit 2):\n${r.all.split('\n').slice(-30).join('\n')}`);
  const report = ReportSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
  const pageRan = new Map<string, boolean>();
  for (const b of report.blocks) pageRan.set(b.file, (pageRan.get(b.file) ?? false) || (!b.reused && b.status !== 'skipped'));
  const ran = [...pageRan.values()].filter(Boolean).length;
  return { label, seconds, ran, reused: report.blocks.filter((b) => b.reused).length, pages: pageRan.size, report };
}

/** The first `n` pages with a block that runs, in the order the harness collects them (a folder walk). */
export function pagesWithBlocks(dir: string, n: number): string[] {
  return collectTargets([dir], dir)
    .filter((t) => extractPage(t.display, readFileSync(t.path, 'utf8')).blocks.some(isRunnable))
    .slice(0, n)
    .map((t) => t.path);
}

export async function rerunFigures(opts: { course: string; jobs: number }): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'curso-bench-reruns-'));
  try {
    const course = path.join(work, 'course');
    cpSync(opts.course, course, { recursive: true });
    const jobs = ['--jobs', String(opts.jobs)];
    const forced = await verify('forced', [course], work, ['--force', ...jobs]);
    const unchanged = await verify('unchanged', [course], work, jobs);
    const changedPage = pagesWithBlocks(course, 1)[0]!;
    appendFileSync(changedPage, '\nUna frase más, para la medición.\n');
    const oneChanged = await verify('one page changed', [course], work, jobs);

    const six = pagesWithBlocks(course, 6);
    const jobs1 = await verify('jobs 1', six, work, ['--force', '--jobs', '1']);
    const jobs2 = await verify('jobs 2', six, work, ['--force', '--jobs', '2']);

    const rows = [forced, unchanged, oneChanged, jobs1, jobs2];
    // A figure over a run whose blocks did not all hold is suspect: say which did not.
    for (const r of rows)
      for (const b of r.report.blocks.filter((x) => x.status === 'failed' || x.status === 'error')) {
        console.log(`${r.label}: ${path.relative(course, b.file)}:${b.line} ${b.status}: ${verdictWords(b) ?? ''}`);
        const step = b.steps.find((s) => s.status !== 'passed');
        if (step) console.log(`  $ ${step.ran}\n  expected: ${JSON.stringify(step.expected)}\n  actual:   ${JSON.stringify(step.actual)}`);
      }
    const s = forced.report.summary;
    console.log(
      `\nreruns and parallel labs (${rows[0]!.pages} pages, ${s.total} blocks: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.error} error; load average ${loadavg()[0]!.toFixed(1)})`,
    );
    console.log('| run | wall | pages run | blocks reused |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const r of rows) console.log(`| ${r.label} | ${r.seconds.toFixed(1)} s | ${r.ran} of ${r.pages} | ${r.reused} |`);
    console.log(
      `unchanged rerun: ${unchanged.seconds.toFixed(2)} s = ${((100 * unchanged.seconds) / forced.seconds).toFixed(2)} % of the forced run (--jobs ${opts.jobs})`,
    );
    console.log(
      `one page changed (${path.relative(course, changedPage)}): ${oneChanged.ran} page(s) ran, ${oneChanged.seconds.toFixed(1)} s`,
    );
    const blockSeconds = forced.report.blocks.reduce((t, b) => t + (b.reused ? 0 : b.durationMs), 0) / 1000;
    console.log(
      `forced run (--jobs ${opts.jobs}): ${forced.seconds.toFixed(1)} s of wall time for ${blockSeconds.toFixed(1)} s of blocks' own time: ${(forced.seconds / blockSeconds).toFixed(2)}`,
    );
    console.log(
      `--jobs 2 / --jobs 1 over ${six.length} pages (${six.map((p) => path.relative(course, p)).join(', ')}): ${(jobs2.seconds / jobs1.seconds).toFixed(2)}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
