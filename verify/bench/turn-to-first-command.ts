import { collectTargets } from '../src/collect/collect.ts';
import { prepareEngineSession } from '../src/engine-session.ts';
import { isRunnable } from '../src/model/plan.ts';
import type { EventOf, Reporter } from '../src/report/events.ts';
import { Mode, runAll } from '../src/run/runner.ts';

// npm run bench: how long a page waits, once its turn has come, before its first command runs:
// from its `page-start` event to the `block-start` of its first block with commands. Measured
// with --jobs 1 (a page's turn is then the previous page's end) and only from the event stream,
// so it measures whatever the runner does to have a lab ready (today: create it at the page's
// turn). No results store: every page really runs.

/** Collects, per page, the time from its turn to its first command; `now` is the clock (ms). */
export class TurnTimer implements Reporter {
  private readonly now: () => number;
  private readonly started = new Map<string, number>();
  private readonly waits = new Map<string, number | null>();
  constructor(now: () => number = () => performance.now()) {
    this.now = now;
  }
  onPageStart(e: EventOf<'page-start'>): void {
    this.started.set(e.file, this.now());
    this.waits.set(e.file, null);
  }
  onBlockStart(e: EventOf<'block-start'>): void {
    // A session that runs: a file block is written, not typed, and the others run nothing.
    if (e.block.kind !== 'session' || !isRunnable(e.block)) return;
    const t0 = this.started.get(e.block.file);
    if (t0 === undefined || this.waits.get(e.block.file) !== null) return;
    this.waits.set(e.block.file, this.now() - t0);
  }
  /** Each page in the order it started, with its wait (null: it ran no command). */
  pages(): { file: string; ms: number | null }[] {
    return [...this.waits].map(([file, ms]) => ({ file, ms }));
  }
}

/** Median and maximum of the waits of pages that ran a command (null when none did). */
export function turnSummary(waits: readonly (number | null)[]): { median: number; max: number; pages: number } | null {
  const ms = waits.filter((w): w is number => w !== null).sort((a, b) => a - b);
  if (ms.length === 0) return null;
  const mid = Math.floor(ms.length / 2);
  return { median: ms.length % 2 ? ms[mid]! : (ms[mid - 1]! + ms[mid]!) / 2, max: ms.at(-1)!, pages: ms.length };
}

export async function turnFigures(opts: { paths: string[]; cwd: string; log: (m: string) => void }): Promise<void> {
  const targets = collectTargets(opts.paths, opts.cwd);
  const timer = new TurnTimer();
  const report = await runAll({
    targets,
    mode: Mode.verify,
    argv: opts.paths,
    reporters: [timer],
    jobs: 1,
    prepareEngine: (log, pages) => prepareEngineSession(log, pages),
  });
  if (report.run.fatal) throw new Error(`the harness could not run: ${report.run.fatal}`);
  const pages = timer.pages();
  console.log(`\nturn to first command (--jobs 1, ${pages.length} pages: from a page's page-start to its first command's block-start)`);
  console.log('| page | wait |');
  console.log('| --- | ---: |');
  for (const p of pages) console.log(`| ${p.file} | ${p.ms === null ? 'no command' : `${(p.ms / 1000).toFixed(2)} s`} |`);
  const s = turnSummary(pages.map((p) => p.ms));
  console.log(
    s
      ? `turn to first command over ${s.pages} pages: median ${(s.median / 1000).toFixed(2)} s, max ${(s.max / 1000).toFixed(2)} s`
      : 'turn to first command: no page ran a command',
  );
}
