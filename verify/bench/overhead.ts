import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { collectTargets, type Target } from '../src/collect/collect.ts';
import { prepareEngineSession, type SessionLab } from '../src/engine-session.ts';
import { pageUnit, type LabRequest } from '../src/collect/units.ts';
import type { Report } from '../src/model/report.ts';
import type { Reporter } from '../src/report/events.ts';
import { Mode, runAll, type EngineSession } from '../src/run/runner.ts';
import { firstDivergence, type Divergence } from './replay-compare.ts';
import { REPLAY_DIR, replayScript, type Replay } from './replay-script.ts';
import { type ReplayOutput, replayOutputs } from './replay-transcript.ts';

// npm run bench -- --overhead: the harness's own cost, against a faithful replay of the same
// commands (replay-script.ts) in plain bash, page by page.
//  - Same work: each replayed step's output is compared with what the harness captured
//    (replay-compare.ts), after the timing. A page whose replay diverges is reported with the
//    first step that did, and left out of the totals: reported, not timed.
//  - Same conditions: one engine session for both sides, a fresh lab per page on each side, the
//    same --jobs (the replay runs its pages through a pool of that size), no results store for
//    the harness (every page really runs), and both sides run twice in alternated order
//    (harness, replay, replay, harness), so neither always gets the caches the other warmed.
//  - Two times per page and side. Its commands: the harness's blocks (the sum of their
//    durations, its shell opened in the first), the replay's script (from `docker exec` to its
//    end); labs left out, so the ratio is the harness's own cost per command. Its page: from its
//    turn to its lab disposed of (the harness's `page-end`; the replay's own clock, without
//    reading its transcript back), whatever either does to have labs ready (both make the next
//    `--jobs` pages' labs ahead). The labs' share alone is the turn-to-first-command figure.

interface PageTiming {
  /** The page's commands: the harness's blocks (their durations summed), the replay's script. */
  workMs: number;
  /** The page from its turn to its lab disposed of. */
  pageMs: number;
  divergence: Divergence | null;
}

interface Side {
  wallMs: number;
  pages: Map<string, PageTiming>;
}

type PageReplay = { target: Target; replay: Replay; lab: LabRequest };

export async function overheadFigures(opts: { paths: string[]; cwd: string; jobs: number; log: (m: string) => void }): Promise<void> {
  const targets = collectTargets(opts.paths, opts.cwd);
  // What the runner would prepare the engine for: the pages, and the images their labs start with.
  const engine = await prepareEngineSession(
    opts.log,
    targets.map(pageUnit).flatMap((u) => [u.source, ...(u.lab.images ?? [])]),
  );
  // The engine is prepared once for both sides; only labs and commands are timed.
  const shared: EngineSession<SessionLab> = { ...engine, dispose: async () => {} };
  try {
    opts.log(`overhead: harness, then replay (round 1 of 2; --jobs ${opts.jobs})`);
    const h1 = await harness(targets, shared, opts);
    const replays = targets.map((t) => ({ target: t, ...pageReplay(t, h1.report) }));
    const r1 = await replay(replays, shared, opts.jobs);
    opts.log('overhead: replay, then harness (round 2 of 2)');
    const r2 = await replay(replays, shared, opts.jobs);
    const h2 = await harness(targets, shared, opts);
    print(replays, [h1, h2], [r1, r2], h1.report, opts.jobs);
  } finally {
    await engine.dispose();
  }
}

async function harness(
  targets: Target[],
  session: EngineSession,
  opts: { paths: string[]; jobs: number },
): Promise<Side & { report: Report }> {
  const pageMs = new Map<string, number>();
  const timer: Reporter = { onPageEnd: (e) => void pageMs.set(e.file, e.durationMs) };
  const t0 = Date.now();
  // No results store (`cache`): every page really runs.
  const report = await runAll({
    targets,
    mode: Mode.verify,
    argv: opts.paths,
    reporters: [timer],
    jobs: opts.jobs,
    prepareEngine: async () => session,
  });
  if (report.run.fatal) throw new Error(`the harness could not run: ${report.run.fatal}`);
  // A block's duration runs from its start to its verdict (the page's shell opened in the first
  // one): their sum is the page's commands, whenever its lab was made. Taken from the report,
  // not from block events, which a page running beside an earlier one delivers late.
  const pages = new Map<string, PageTiming>();
  for (const [file, ms] of pageMs) {
    const workMs = report.blocks.filter((b) => b.file === file && b.status !== 'skipped').reduce((a, b) => a + b.durationMs, 0);
    pages.set(file, { workMs, pageMs: ms, divergence: null });
  }
  return { wallMs: Date.now() - t0, pages, report };
}

/** The page as the harness read it, its lab as the harness asked for it (what the reader has on arriving). */
function pageReplay(t: Target, report: Report): { replay: Replay; lab: LabRequest } {
  const unit = pageUnit(t);
  return {
    replay: replayScript(
      unit.page.blocks,
      report.blocks.filter((b) => b.file === t.display),
    ),
    lab: unit.lab,
  };
}

/**
 * Every page's replay, `jobs` at once, each in a fresh lab made for it; as the harness's runner
 * does, the next `jobs` pages' labs are made while pages run. Compared after the timing.
 */
async function replay(all: PageReplay[], session: EngineSession<SessionLab>, jobs: number): Promise<Side> {
  const pages = all.filter(({ replay }) => replay.steps.length > 0 || replay.errors.length > 0);
  const out = new Map<string, PageTiming>();
  const labs = new Map<number, Promise<ReplayLab>>();
  const lab = (i: number) => {
    if (i < pages.length && !labs.has(i)) {
      const made = session.createLab(pages[i]!.target.display, pages[i]!.lab);
      made.catch(() => {});
      labs.set(i, made);
    }
    return labs.get(i)!;
  };
  const t0 = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < pages.length) {
      const i = next++;
      const turn = Date.now();
      const ready = lab(i);
      for (let k = i + 1; k <= i + jobs; k++) lab(k);
      out.set(pages[i]!.target.display, await replayPage(pages[i]!.target.display, pages[i]!.replay, await ready, turn));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, pages.length)) }, worker));
  return { wallMs: Date.now() - t0, pages: out };
}

type ReplayLab = SessionLab & { dispose(): Promise<void> };

async function replayPage(file: string, replay: Replay, lab: ReplayLab, turn: number): Promise<PageTiming> {
  let workMs = 0;
  let readMs = 0;
  let transcript = '';
  try {
    const run = lab.readerShell({
      cwd: lab.workdir,
      tty: false,
      // The script arrives on stdin and is saved first: the replay's own stdin is then /dev/null.
      command: `mkdir -p ${REPLAY_DIR} && cat > ${REPLAY_DIR}/replay.sh && SHELL=/bin/bash exec script -qec 'bash ${REPLAY_DIR}/replay.sh' ${REPLAY_DIR}/typescript </dev/null >/dev/null 2>&1`,
    });
    const t0 = Date.now();
    await execa(run.file, run.args, { input: replay.script, env: run.env, reject: false, timeout: 3_600_000 });
    workMs = Date.now() - t0;
    // Not timed: reading the transcript back.
    const t1 = Date.now();
    const read = lab.readerShell({ cwd: lab.workdir, tty: false, command: `cat ${REPLAY_DIR}/typescript` });
    transcript = (await execa(read.file, read.args, { env: read.env, reject: false, stripFinalNewline: false, maxBuffer: 1e9 })).stdout;
    readMs = Date.now() - t1;
  } finally {
    await lab.dispose();
  }
  const pageMs = Date.now() - turn - readMs;
  const outputs = await replayOutputs(transcript);
  keep(file, replay, transcript, outputs);
  if (replay.errors.length > 0) {
    const e = replay.errors[0]!;
    return {
      workMs,
      pageMs,
      divergence: { ...e, why: 'the harness had an error here: the block was not replayed', harness: [], replay: [] },
    };
  }
  return { workMs, pageMs, divergence: firstDivergence(replay.steps, outputs) };
}

function print(replays: PageReplay[], harnessRuns: Side[], replayRuns: Side[], report: Report, jobs: number): void {
  const mean = (xs: (number | undefined)[]) =>
    xs.some((x) => x === undefined) ? null : xs.reduce<number>((a, b) => a + b!, 0) / xs.length;
  const s = report.summary;
  console.log(
    `\noverhead: the harness against a faithful bash replay (${replays.length} pages, ${s.total} blocks: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.error} error; --jobs ${jobs}; each side run twice, order alternated, means shown; load average ${loadavg()[0]!.toFixed(1)})`,
  );
  console.log("commands: the harness's blocks summed, the replay's script; page: from its turn to its lab disposed of");
  console.log('| page | harness commands | replay commands | ratio | harness page | replay page | |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  const totals = { h: 0, r: 0, hPage: 0, rPage: 0, faithful: 0, replayed: 0 };
  const divergences: Divergence[] = [];
  for (const { target } of replays) {
    const f = target.display;
    const rs = replayRuns.map((r) => r.pages.get(f));
    if (rs.every((r) => r === undefined)) {
      console.log(`| ${f} | | | | | | nothing to run |`);
      continue;
    }
    totals.replayed++;
    const hs = harnessRuns.map((r) => r.pages.get(f));
    const h = mean(hs.map((x) => x?.workMs));
    const r = mean(rs.map((x) => x?.workMs));
    const hPage = mean(hs.map((x) => x?.pageMs));
    const rPage = mean(rs.map((x) => x?.pageMs));
    const d = rs.find((x) => x?.divergence)?.divergence ?? null;
    if (d) divergences.push(d);
    else if (h !== null && r !== null && hPage !== null && rPage !== null) {
      totals.h += h;
      totals.r += r;
      totals.hPage += hPage;
      totals.rPage += rPage;
      totals.faithful++;
    }
    console.log(
      `| ${f} | ${sec(h)} | ${sec(r)} | ${ratio(h, r)} | ${sec(hPage)} | ${sec(rPage)} | ${d ? `diverged at ${d.file}:${d.line} (not timed)` : ''} |`,
    );
  }
  for (const d of divergences) {
    console.log(`\n${d.file}:${d.line}: ${d.why}`);
    for (const l of d.harness) console.log(`  harness │ ${l}`);
    for (const l of d.replay) console.log(`  replay  │ ${l}`);
  }
  console.log(
    `\nwall time, all pages: harness ${harnessRuns.map((r) => sec(r.wallMs)).join(' / ')}, replay ${replayRuns.map((r) => sec(r.wallMs)).join(' / ')}`,
  );
  console.log(
    `faithful pages: ${totals.faithful} of ${totals.replayed}; commands: harness ${sec(totals.h)}  replay ${sec(totals.r)}  ratio: ${ratio(totals.h, totals.r)}; pages: harness ${sec(totals.hPage)}  replay ${sec(totals.rPage)}  ratio: ${ratio(totals.hPage, totals.rPage)}`,
  );
}

/**
 * With CURSO_BENCH_REPLAY_DIR set, each page's replay is kept there to look into a divergence:
 * its script, its raw transcript, and each step's output as compared, beside the harness's.
 */
function keep(file: string, replay: Replay, transcript: string, outputs: ReadonlyMap<number, ReplayOutput>): void {
  const dir = process.env.CURSO_BENCH_REPLAY_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, file.replace(/[^\w.-]+/g, '_'));
  writeFileSync(`${base}.sh`, replay.script);
  writeFileSync(`${base}.typescript`, transcript);
  const steps = replay.steps.map((s) => ({
    line: s.line,
    kind: s.kind,
    ran: s.harness.ran,
    documented: s.documented,
    harness: {
      exitCode: s.harness.exitCode,
      durationMs: s.harness.durationMs,
      actual: s.harness.actual,
      typed: s.typed.map((t) => ({ ran: t.ran, actual: t.actual })),
    },
    replay: outputs.get(s.n) ?? null,
  }));
  writeFileSync(`${base}.steps.json`, `${JSON.stringify(steps, null, 2)}\n`);
}

function ratio(a: number | null, b: number | null): string {
  return a !== null && b ? (a / b).toFixed(3) : 'n/a';
}

function sec(ms: number | null): string {
  return ms === null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`;
}
