import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { coldStart } from './cold-start.ts';
import { coldTestFigures } from './cold-test.ts';
import { overheadFigures } from './overhead.ts';
import { jobsFigures, pagesWithBlocks, rerunFigures } from './reruns.ts';
import { stabilityFigures } from './stability.ts';
import { turnFigures } from './turn-to-first-command.ts';

// npm run bench [-- --cold] [--overhead] [--jobs N] [--only FIGURE] [paths…]
// npm run bench -- --repeat 5 [paths…]   the flake check alone (stability.ts)
//
// Prints figures, asserts nothing:
//  - reruns (reruns.ts): on a copy of the course, a forced run, an unchanged rerun, a rerun
//    after one page changed, and --jobs 1 against --jobs 2 over six pages, side by side;
//  - jobs (reruns.ts): --jobs 1 against --jobs 2 alone, with the CPU time each kept busy;
//  - turn (turn-to-first-command.ts): over the same six pages (or the pages given), with
//    --jobs 1, the time from a page's turn to its first command;
//  - --overhead (overhead.ts): the harness against a faithful bash replay of the same commands,
//    page by page, each replayed output compared with the harness's;
//  - --cold (cold-start.ts): time from no engine and no images to the first verified block;
//  - cold-test (cold-test.ts, only with --only): `npm install && npm test` on a fresh clone
//    with a fresh npm cache and the harness's cache moved aside (put back afterwards).
// --only reruns|jobs|turn|overhead|cold|cold-test: that figure alone (e.g. the overhead on a few pages).
// CURSO_BENCH_REPLAY_DIR=dir keeps each page's replay there (script, transcript, each step's
// output and time beside the harness's), to look into a divergence.

const FIGURES = ['reruns', 'jobs', 'turn', 'overhead', 'cold', 'cold-test'] as const;
const args = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    cold: { type: 'boolean', default: false },
    overhead: { type: 'boolean', default: false },
    jobs: { type: 'string', default: '2' },
    only: { type: 'string' },
    // Only the flake check: the course N times, statuses compared (stability.ts).
    repeat: { type: 'string' },
  },
});
const root = path.resolve(import.meta.dirname, '../..');
const cwd = process.env.INIT_CWD ?? process.cwd();
const log = (m: string) => process.stdout.write(`  ${m}\n`);
const jobs = Number(args.values.jobs);
if (!Number.isInteger(jobs) || jobs < 1) fail(`--jobs ${args.values.jobs}: expected a whole number of pages at once, 1 or more`);
const only = args.values.only;
if (only !== undefined && !(FIGURES as readonly string[]).includes(only)) fail(`--only ${only}: expected one of ${FIGURES.join(', ')}`);

const course = args.positionals.length > 0 ? args.positionals : [path.join(root, 'content')];
const first = path.resolve(cwd, course[0]!);
for (const p of course) if (!existsSync(path.resolve(cwd, p))) fail(`${p}: no such file or folder`);
if (args.values.repeat !== undefined) {
  await stabilityFigures({ course: first, runs: Number(args.values.repeat), jobs });
  process.exit(0);
}
const wanted = (f: (typeof FIGURES)[number], byDefault: boolean) => (only === undefined ? byDefault : only === f);
if (wanted('cold', args.values.cold)) await coldStart(cwd);
if (wanted('cold-test', false)) await coldTestFigures(log);
if (wanted('reruns', true)) await rerunFigures({ course: first, jobs });
if (wanted('jobs', false)) await jobsFigures({ course: first });
// A folder: the same six pages as the --jobs comparison; files: those files.
const turnPages = course.length === 1 && statSync(first).isDirectory() ? pagesWithBlocks(first, 6) : course;
if (wanted('turn', true)) await turnFigures({ paths: turnPages, cwd, log });
if (wanted('overhead', args.values.overhead)) await overheadFigures({ paths: course, cwd, jobs, log });

function fail(message: string): never {
  console.error(`npm run bench: ${message}`);
  process.exit(2);
}
