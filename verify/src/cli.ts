import { blockKey } from './model/block-id.ts';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { collectTargets, TargetError, type Target } from './collect/collect.ts';
import { openResultCache } from './cache/results-cache.ts';
import { config, DEFAULT_LAB_SUITE, type LabSuite, LabSuiteError, resolveLabSuite } from './engine/config.ts';
import { imagesMentioned } from './engine/stand-ins/table.ts';
import { extractPage } from './extract/markdown.ts';
import type { Report } from './model/report.ts';
import { checkExitCode, compareToSnapshot } from './snapshot/compare.ts';
import { renderCheck } from './snapshot/check-report.ts';
import { defaultSnapshotPath, readSnapshot, SnapshotError, writeSnapshot } from './snapshot/file.ts';
import { mergePathResults, mergeSnapshot } from './snapshot/merge.ts';
import { CourseError } from './collect/course.ts';
import { PathError, pathUnits, type RunUnit } from './collect/units.ts';
import type { Snapshot } from './snapshot/model.ts';
import { prepareEngineSession } from './engine-session.ts';
import { printPlan } from './plan.ts';
import { parseShard, shardOf, ShardSpecError } from './shard/shard.ts';
import { createReporters, ReporterSpecError } from './report/reporters.ts';
import { TerminalReporter } from './report/terminal-reporter.ts';
import type { Reporter } from './report/events.ts';
import { Mode, runAll } from './run/runner.ts';
import { describeFatal, isExpectedFailure } from './run/fatal.ts';
import { main as openLab } from './lab-cli.ts';
import { watchPages } from './watch.ts';

// npm run verify -- [paths…] [--update] [--reporter json=out.json] [--reporter junit=out.xml]
// Exit codes: 0 every block held · 1 drift (a block failed) · 2 the harness or the engine
// could not do its job (an error block, bad input, no engine).

export const EXIT = { ok: 0, drift: 1, error: 2 } as const;

const HELP = `Usage: npm run verify -- [options] [path…]

Runs every fenced shell and Dockerfile block of the given Markdown pages against a real
Docker engine, one fresh lab per page, and reports for each block: passed, failed (with a
diff), skipped (with the reason) or error.

Paths are files or folders anywhere on disk (default: content/). Add :LINE to a file to
report only the block at that line (earlier blocks of the page still run, as its setup):
  npm run verify -- content/ciclo-de-vida.md:12

A page runs only when its inputs changed: its text, the lab (--engine), its images' recipes,
the harness itself, or the options below. Otherwise its earlier results are reported again,
marked "reused" with the date they were verified; no engine is started when every page is
reused. --force runs everything. The results live in <cache>/results (~/.cache/curso-docker
by default, CURSO_VERIFY_CACHE elsewhere) and can be deleted at any time.

Options:
  --force             run every page, even those whose earlier results could be reused
  --watch             after the first run, run each page again when it is saved, and print
                      only what changed (the snapshot is left alone); Ctrl-C stops
  --shell-on-failure  when a block fails and this is a terminal, open a shell as the reader
                      in a lab at the failing step (npm run lab); does nothing otherwise (CI)
  --update            rewrite the documented output of failed steps from the actual output
                      (keeps "...", "[..]" and documented IDs; never touches prose)
  --dry-run           with --update: print each change it would write, labelled cosmetic
                      (only IDs, dates, sizes, times differ) or meaningful; write nothing
  --reporter <name=file>
                      also write a report, as often as needed: json=out.json (schema:
                      verify/docs/report.md) or junit=out.xml (JUnit XML)
  --report <file>     the same as --reporter json=<file>
  --junit <file>      the same as --reporter junit=<file>
  --snapshot <file>   the verification snapshot (default: content/verification.json); a run
                      refreshes the entries of the pages it ran that live beside it
  --no-snapshot       do not touch the snapshot
  --check             CI: compare the run with the snapshot without writing it; fails (1) when
                      a block that held no longer holds or a new/changed block does not hold,
                      (2) on any error
  --plan              run nothing: print how every block will be read (session steps and
                      their prompts, the file it writes and the step that uses it, what is
                      skipped and why, annotations, timeouts); exit 2 on a block that
                      cannot be read, naming its file:line. Needs no engine.
  -j, --jobs <n>      pages at once, each in its own lab (default: one per CPU core, at most 4)
  --path              the reader's path: each locale's lessons in course order
                      (content/course.json, the sidebar's order) in ONE lab, one shell, as
                      one reader on one machine follows them; the hidden verify-setup blocks
                      are left out. Results go beside each block's own in the snapshot
                      (--check compares with those)
  --engine <26|28>    the reader's Docker in the labs: 28 (Debian forky's 28.5, default) or 26
                      (Debian trixie's 26.1)
  --shard <i/n>       run only part i of n of the pages (CI matrices; merge the reports with
                      npm run verify:merge): pages in course order, dealt round-robin
  --timeout-scale <n> multiply every step timeout (slow machines)
  --no-color          plain output (default: colour on a terminal)
  -h, --help          this help

Exit codes: 0 all held · 1 drift · 2 harness/engine error.
Annotations and matching rules: verify/docs/annotations.md`;

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        update: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        'shell-on-failure': { type: 'boolean', default: false },
        watch: { type: 'boolean', default: false },
        reporter: { type: 'string', multiple: true },
        report: { type: 'string' },
        junit: { type: 'string' },
        'timeout-scale': { type: 'string' },
        engine: { type: 'string' },
        shard: { type: 'string' },
        jobs: { type: 'string', short: 'j' },
        snapshot: { type: 'string' },
        'no-snapshot': { type: 'boolean' },
        check: { type: 'boolean', default: false },
        plan: { type: 'boolean', default: false },
        path: { type: 'boolean', default: false },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${HELP}\n`);
    return EXIT.error;
  }
  if (args.values.help) {
    process.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  let suite: LabSuite;
  try {
    // Resolved once, here, and handed to the cache, the engine and the lab it may open.
    suite = resolveLabSuite(args.values.engine);
  } catch (e) {
    if (!(e instanceof LabSuiteError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return EXIT.error;
  }
  const prepareEngine = (log: (msg: string) => void, pages: readonly string[]) => prepareEngineSession(log, pages, { suite });
  const jobs = args.values.jobs === undefined ? defaultJobs() : Number(args.values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) {
    process.stderr.write(`--jobs needs a whole number ≥ 1, got ${args.values.jobs}\n`);
    return EXIT.error;
  }
  const scale = args.values['timeout-scale'] === undefined ? 1 : Number(args.values['timeout-scale']);
  if (!(scale > 0)) {
    process.stderr.write(`--timeout-scale needs a positive number, got ${args.values['timeout-scale']}\n`);
    return EXIT.error;
  }

  const cwd = process.env.INIT_CWD ?? process.cwd();
  let targets;
  try {
    targets = collectTargets(args.positionals.length > 0 ? args.positionals : [path.join(cwd, 'content')], cwd);
  } catch (e) {
    if (e instanceof TargetError) {
      process.stderr.write(`curso-verify: ${e.message}\n`);
      return EXIT.error;
    }
    throw e;
  }
  if (args.values.shard !== undefined) {
    try {
      targets = shardOf(targets, parseShard(args.values.shard));
    } catch (e) {
      if (!(e instanceof ShardSpecError)) throw e;
      process.stderr.write(`curso-verify: ${e.message}\n`);
      return EXIT.error;
    }
  }

  let units: RunUnit[] | undefined;
  if (args.values.path) {
    const refused = args.values.update
      ? '--update'
      : args.values.shard !== undefined
        ? '--shard'
        : targets.some((t) => t.line !== undefined)
          ? 'page.md:LINE'
          : args.values.plan
            ? '--plan'
            : null;
    if (refused) {
      process.stderr.write(`curso-verify: --path runs whole lessons in order in one lab; ${refused} works on pages run alone\n`);
      return EXIT.error;
    }
    try {
      const path = pathUnits(targets, cwd);
      units = path.units;
      for (const note of path.notes) process.stderr.write(`curso-verify: ${note}\n`);
    } catch (e) {
      if (!(e instanceof PathError || e instanceof CourseError)) throw e;
      process.stderr.write(`curso-verify: ${e.message}\n`);
      return EXIT.error;
    }
  }

  const color = args.values['no-color'] ? false : (args.values.color ?? (process.stdout.isTTY || !!process.env.FORCE_COLOR));
  if (args.values.plan) return printPlan(targets, { color, timeoutScale: scale });
  const reporters: Reporter[] = [new TerminalReporter({ color })];
  try {
    reporters.push(
      ...createReporters(
        [
          ...(args.values.reporter ?? []),
          // The older spellings, kept as aliases.
          ...(args.values.report ? [`json=${args.values.report}`] : []),
          ...(args.values.junit ? [`junit=${args.values.junit}`] : []),
        ],
        cwd,
      ),
    );
  } catch (e) {
    if (!(e instanceof ReporterSpecError)) throw e;
    process.stderr.write(`curso-verify: ${e.message}\n`);
    return EXIT.error;
  }

  const snapshotFile = path.resolve(cwd, args.values.snapshot ?? defaultSnapshotPath(cwd));
  let snapshot;
  try {
    // Read up front so a broken snapshot is reported before a long run, not after it.
    snapshot = args.values['no-snapshot'] && !args.values.check ? null : readSnapshot(snapshotFile);
  } catch (e) {
    if (!(e instanceof SnapshotError)) throw e;
    process.stderr.write(`curso-verify: ${e.message}\n`);
    return EXIT.error;
  }
  if (args.values['dry-run'] && !args.values.update) {
    process.stderr.write('curso-verify: --dry-run previews what --update would write: use it with --update\n');
    return EXIT.error;
  }
  if (args.values.check && args.values.update) {
    process.stderr.write('curso-verify: --check compares with the snapshot and --update rewrites pages: use one at a time\n');
    return EXIT.error;
  }

  const cache = config.reuseResults() ? await openResultCache({ timeoutScale: scale, suite, force: args.values.force }) : undefined;
  if (args.values.watch) {
    const refused = args.values.update ? '--update' : args.values.check ? '--check' : units ? '--path' : null;
    if (refused) {
      process.stderr.write(`curso-verify: --watch runs pages again as they are saved; ${refused} does not go with it\n`);
      return EXIT.error;
    }
    const stop = new AbortController();
    const onInterrupt = () => stop.abort();
    process.once('SIGINT', onInterrupt);
    let first = true;
    await watchPages({
      targets,
      signal: stop.signal,
      write: (text) => process.stdout.write(text),
      run: async (pages) => {
        // The first run shows everything; the later ones only what changed (watchPages prints it).
        const report = await runAll({
          targets: pages,
          mode: Mode.verify,
          argv,
          reporters: first ? reporters : [],
          prepareEngine,
          timeoutScale: scale,
          jobs,
          cache,
        });
        first = false;
        if (report.run.fatal) process.stderr.write(`curso-verify: ${report.run.fatal}\n`);
        return report;
      },
    });
    process.off('SIGINT', onInterrupt);
    process.stdout.write('stopped watching\n');
    return 130;
  }

  const report = await runAll({
    targets,
    units,
    scope: units ? 'path' : 'pages',
    mode: args.values.update ? Mode.update : Mode.verify,
    argv,
    reporters,
    prepareEngine,
    timeoutScale: scale,
    jobs,
    cache,
    dryRun: args.values['dry-run'],
  });
  if (args.values.check) {
    const verdicts = compareToSnapshot(snapshot, report);
    process.stdout.write(renderCheck(verdicts, path.relative(cwd, snapshotFile), color));
    return report.run.fatal ? EXIT.error : checkExitCode(verdicts);
  }
  // Read again: another run may have refreshed other pages meanwhile.
  // The committed snapshot records the default engine; another engine's run writes one only
  // where --snapshot says.
  const otherEngine = args.values.engine !== undefined && args.values.snapshot === undefined && suite !== DEFAULT_LAB_SUITE;
  if (!args.values['no-snapshot'] && !otherEngine) {
    if (units) refreshPathResults(snapshotFile, report);
    else refreshSnapshot(snapshotFile, readSnapshot(snapshotFile), report, targets);
  }

  const code = report.run.fatal || report.summary.error > 0 ? EXIT.error : report.summary.failed > 0 ? EXIT.drift : EXIT.ok;
  const failing = failingStep(report);
  if (args.values['shell-on-failure'] && failing && process.stdin.isTTY && process.stdout.isTTY) {
    process.stderr.write(`\ncurso-verify: opening a lab at ${failing} (--shell-on-failure)\n`);
    await openLab([failing], { suite });
  }
  return code;
}

/** `file:line` of the first step that did not hold (its block's fence line for a file block), or null. */
export function failingStep(report: Report): string | null {
  const b = report.blocks.find((x) => x.status === 'failed' || x.status === 'error');
  if (!b || b.kind === 'invalid') return null;
  const step = b.steps.find((s) => s.status === 'failed' || s.status === 'error');
  const line = step?.line ?? (b.usedBy ? b.usedBy.line : b.line);
  return `${b.file}:${line}`;
}

/** One lab per core, at most 4: a lab's work (a nested engine, builds) is mostly CPU and disk. */
function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Records the run in the snapshot, for the pages that live beside it (a scratch page elsewhere
 * is not part of the course). Only blocks still on disk as they ran are recorded: a page that
 * --update rewrote must be verified again before its new outputs count as verified.
 */
function refreshSnapshot(file: string, old: Snapshot | null, report: Report, targets: Target[]): void {
  const dir = path.dirname(file) + path.sep;
  const mine = targets.filter((t) => t.path.startsWith(dir));
  if (mine.length === 0) return;
  const files = new Set(mine.map((t) => t.display));
  const current = new Map(mine.map((t) => [t.display, readFileSync(t.path, 'utf8')]));
  // By the blocks' identity (model/block-id.ts): of two identical blocks, --update may have rewritten one.
  const onDisk = new Set([...current].flatMap(([f, src]) => extractPage(f, src).blocks.map(blockKey)));
  const blocks = report.blocks.filter((b) => files.has(b.file) && onDisk.has(blockKey(b)));
  const unchanged = (f: string) => report.blocks.filter((b) => b.file === f).every((b) => onDisk.has(blockKey(b)));
  const merged = mergeSnapshot(
    old,
    { ...report, blocks },
    {
      wholeFiles: new Set(mine.filter((t) => t.line === undefined && unchanged(t.display)).map((t) => t.display)),
      pageImages: new Map([...current].map(([f, src]) => [f, imagesMentioned([src])])),
      exists: (f) => existsSync(path.resolve(process.env.INIT_CWD ?? process.cwd(), f)),
    },
  );
  writeSnapshot(file, merged);
}

/** Records a reader's path run beside each block's own result (snapshot/merge.ts mergePathResults). */
function refreshPathResults(file: string, report: Report): void {
  const old = readSnapshot(file);
  if (!old) return;
  const { snapshot, unknown } = mergePathResults(old, report);
  for (const b of unknown)
    process.stderr.write(
      `curso-verify: ${b.file}:${b.line}: not in the snapshot yet (run its page alone first), so its path result is not recorded\n`,
    );
  writeSnapshot(file, snapshot);
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // The machine's expected failures (disk full, a port taken, the engine gone) get one line;
      // anything else is a bug in the harness, whose stack is what a bug report needs.
      const text = isExpectedFailure(e) ? describeFatal(e) : `internal error: ${(e as Error).stack ?? String(e)}`;
      process.stderr.write(`curso-verify: ${text}\n`);
      process.exitCode = EXIT.error;
    },
  );
}
