import { execa } from 'execa';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { collectTargets } from '../src/collect/collect.ts';
import { extractPage } from '../src/extract/markdown.ts';
import { isRunnable } from '../src/model/plan.ts';
import { ReportSchema, type Report } from '../src/model/report.ts';
import { verdictWords } from '../src/report/cause-words.ts';
import { busySeconds, childrenCpuSeconds, parallelFloor, sampleCpu } from './cpu-time.ts';

// The figures of incremental reruns and parallel labs, measured on a copy of the course with
// the CLI a maintainer runs, each with its own results folder (the maintainer's cache is never
// read nor written):
//  - forced: every page really runs (--force);
//  - unchanged: the same command again, nothing changed;
//  - one page changed: a sentence added to one page's prose;
//  - --jobs 1 against --jobs 2, forced, over the first six pages with runnable blocks (as collected),
//    with the CPU time each kept the machine busy, and from it the least --jobs 2 could take
//    for the same work (jobsFigures, alone with --only jobs);
//  - the forced run's wall time against the sum of its blocks' own times (what the pages cost
//    with no harness around them and one page at a time): below 1 is what parallel labs win.

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'verify/src/cli.ts');

interface Timed {
  label: string;
  seconds: number;
  /** CPU seconds the whole machine was busy during the run (null without /proc/stat). */
  busy: number | null;
  /** Of those, the CPU seconds of the harness's own processes (its CLI and what it ran). */
  harness: number | null;
  ran: number;
  reused: number;
  pages: number;
  report: Report;
}

async function verify(label: string, paths: string[], work: string, extra: string[]): Promise<Timed> {
  const out = path.join(work, `${label.replace(/\W+/g, '-')}.json`);
  const cpu0 = sampleCpu();
  const own0 = childrenCpuSeconds();
  const t0 = process.hrtime.bigint();
  const r = await execa(process.execPath, [cli, '--no-snapshot', '--no-color', '--report', out, ...extra, ...paths], {
    reject: false,
    all: true,
    env: { CURSO_VERIFY_RESULTS: path.join(work, 'results'), FORCE_COLOR: '0' },
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const busy = busySeconds(cpu0, sampleCpu());
  const own1 = childrenCpuSeconds();
  const harness = own0 === null || own1 === null ? null : own1 - own0;
  if (r.exitCode === 2) throw new Error(`${label}: the harness could not run (exit 2):\n${r.all.split('\n').slice(-30).join('\n')}`);
  const report = ReportSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
  const pageRan = new Map<string, boolean>();
  for (const b of report.blocks) pageRan.set(b.file, (pageRan.get(b.file) ?? false) || (!b.reused && b.status !== 'skipped'));
  const ran = [...pageRan.values()].filter(Boolean).length;
  return { label, seconds, busy, harness, ran, reused: report.blocks.filter((b) => b.reused).length, pages: pageRan.size, report };
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

    const [jobs1, jobs2] = await jobsRuns(course, work);

    const rows = [forced, unchanged, oneChanged, jobs1, jobs2];
    tellFailures(rows, course);
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
    printJobs(jobs1, jobs2, course);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** --jobs 1 against --jobs 2 alone (npm run bench -- --only jobs), on a copy of the course. */
export async function jobsFigures(opts: { course: string }): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'curso-bench-jobs-'));
  try {
    const course = path.join(work, 'course');
    cpSync(opts.course, course, { recursive: true });
    const [jobs1, jobs2] = await jobsRuns(course, work);
    tellFailures([jobs1, jobs2], course);
    console.log(`\n--jobs 1 against --jobs 2 (load average ${loadavg()[0]!.toFixed(1)})`);
    printJobs(jobs1, jobs2, course);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The same six pages, forced, one page at a time and then two. */
async function jobsRuns(course: string, work: string): Promise<[Timed, Timed]> {
  const six = pagesWithBlocks(course, 6);
  return [await verify('jobs 1', six, work, ['--force', '--jobs', '1']), await verify('jobs 2', six, work, ['--force', '--jobs', '2'])];
}

/** A figure over a run whose blocks did not all hold is suspect: say which did not. */
function tellFailures(rows: Timed[], course: string): void {
  for (const r of rows)
    for (const b of r.report.blocks.filter((x) => x.status === 'failed' || x.status === 'error')) {
      console.log(`${r.label}: ${path.relative(course, b.file)}:${b.line} ${b.status}: ${verdictWords(b) ?? ''}`);
      const step = b.steps.find((s) => s.status !== 'passed');
      if (step) console.log(`  $ ${step.ran}\n  expected: ${JSON.stringify(step.expected)}\n  actual:   ${JSON.stringify(step.actual)}`);
    }
}

/**
 * The ratio, and what bounds it: the cores the sequential run kept busy, and the least the
 * parallel run could take for the same CPU work and the same longest page.
 */
function printJobs(jobs1: Timed, jobs2: Timed, course: string): void {
  const pages = [...new Set(jobs1.report.blocks.map((b) => b.file))];
  const pageSeconds = (r: Timed, f: string) => r.report.blocks.filter((b) => b.file === f).reduce((t, b) => t + b.durationMs, 0) / 1000;
  console.log('| page | --jobs 1 | --jobs 2 |');
  console.log('| --- | ---: | ---: |');
  for (const f of pages)
    console.log(`| ${path.relative(course, f)} | ${pageSeconds(jobs1, f).toFixed(1)} s | ${pageSeconds(jobs2, f).toFixed(1)} s |`);
  for (const r of [jobs1, jobs2])
    console.log(
      `${r.label}: ${r.seconds.toFixed(1)} s of wall time` +
        (r.busy === null ? '' : `, ${r.busy.toFixed(1)} CPU seconds busy (${(r.busy / r.seconds).toFixed(2)} cores on average)`) +
        (r.harness === null ? '' : `, of which the harness's own processes ${r.harness.toFixed(1)} s`),
    );
  console.log(`--jobs 2 / --jobs 1 over ${pages.length} pages: ${(jobs2.seconds / jobs1.seconds).toFixed(2)}`);
  if (jobs1.busy !== null) {
    const longest = Math.max(...pages.map((f) => pageSeconds(jobs1, f)));
    const floor = parallelFloor({ busy: jobs1.busy, wall: jobs1.seconds, longest, jobs: 2 });
    console.log(
      `  least it could be for the same work: ${floor.toFixed(2)} (the --jobs 1 run's CPU seconds over 2 cores, or its longest page, ${longest.toFixed(1)} s, whichever is longer)`,
    );
  }
}
