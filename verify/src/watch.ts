import { existsSync, watch as watchFs, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Target } from './collect/collect.ts';
import type { Report, ReportBlock } from './model/report.ts';
import { verdictWords } from './report/cause-words.ts';

// `npm run verify -- --watch [paths]`: after a first run, each Markdown page under the paths is
// run again when it is saved (a page whose inputs did not change is reused from the results
// store), and only what changed since the page's last run is printed. A page saved half-written
// is that page's error, said in one line; the watch goes on and waits for the next save.

const ICON = { passed: '✓', failed: '✗', skipped: '○', error: '!' } as const;

/**
 * What changed in a page's blocks between two runs, one line each (pure). A block is the same
 * block when its content is (its digest), or, edited, when it starts on the same line.
 */
export function changesSince(before: readonly ReportBlock[], now: readonly ReportBlock[]): string[] {
  const unmatched = new Set(before);
  const pair = new Map<ReportBlock, ReportBlock>();
  for (const b of now) {
    const same = [...unmatched].find((o) => o.digest === b.digest);
    if (same) {
      pair.set(b, same);
      unmatched.delete(same);
    }
  }
  for (const b of now) {
    if (pair.has(b)) continue;
    const edited = [...unmatched].find((o) => o.line === b.line);
    if (edited) {
      pair.set(b, edited);
      unmatched.delete(edited);
    }
  }
  const out: string[] = [];
  for (const b of now) {
    const was = pair.get(b);
    if (was && was.status === b.status && JSON.stringify(was.cause) === JSON.stringify(b.cause)) continue;
    const why = verdictWords(b);
    const what = !was ? `${b.status} (new)` : was.status === b.status ? `${b.status}, for another reason` : `${was.status} → ${b.status}`;
    out.push(`${ICON[b.status]} ${b.file}:${b.line} ${what}${why ? ` — ${why}` : ''}`);
  }
  for (const b of unmatched) out.push(`- ${b.file}:${b.line} gone`);
  return out;
}

export interface WatchOptions {
  targets: Target[];
  /** Runs the given pages and returns the report (quietly: the watch prints the changes). */
  run: (targets: Target[]) => Promise<Report>;
  write: (text: string) => void;
  /** How long to wait after a save for the editor to finish writing (ms). */
  settleMs?: number;
  /** Stops the watch (Ctrl-C). */
  signal: AbortSignal;
}

/** Runs every target, then each saved page again, until `signal` aborts. */
export async function watchPages(opts: WatchOptions): Promise<void> {
  const last = new Map<string, ReportBlock[]>();
  const record = (report: Report) => {
    const byFile = Map.groupBy(report.blocks, (b) => b.file);
    for (const [file, blocks] of byFile) last.set(file, blocks);
  };
  record(await opts.run(opts.targets));

  const pages = (file: string): Target | null => {
    const abs = path.resolve(file);
    if (!abs.endsWith('.md')) return null;
    const exact = opts.targets.find((t) => t.path === abs);
    if (exact) return { ...exact, line: undefined };
    const under = opts.targets.find((t) => abs.startsWith(`${t.path}${path.sep}`));
    if (!under) return null;
    return { path: abs, display: path.join(under.display, path.relative(under.path, abs)) };
  };

  const pending = new Set<string>();
  let wake: (() => void) | null = null;
  const watchers: FSWatcher[] = [];
  const dirs = new Set(opts.targets.map((t) => (t.path.endsWith('.md') ? path.dirname(t.path) : t.path)));
  for (const dir of dirs) {
    watchers.push(
      watchFs(dir, { recursive: true }, (_event, name) => {
        if (!name) return;
        const file = path.join(dir, name.toString());
        if (!pages(file)) return;
        pending.add(file);
        wake?.();
      }),
    );
  }
  opts.write(`watching ${[...dirs].join(', ')} for saved pages (Ctrl-C stops)\n`);
  try {
    while (!opts.signal.aborted) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        opts.signal.addEventListener('abort', () => resolve(), { once: true });
        if (pending.size > 0) resolve();
      });
      wake = null;
      if (opts.signal.aborted) break;
      // An editor writes a file in several steps: wait until it is done.
      await new Promise((r) => setTimeout(r, opts.settleMs ?? 300));
      const files = [...pending];
      pending.clear();
      const targets = files.flatMap((f) => (existsSync(f) ? [pages(f)!] : []));
      for (const f of files.filter((x) => !existsSync(x))) opts.write(`${pages(f)?.display ?? f}: removed\n`);
      if (targets.length === 0) continue;
      const report = await opts.run(targets);
      for (const t of targets) {
        const now = report.blocks.filter((b) => b.file === t.display);
        const changes = changesSince(last.get(t.display) ?? [], now);
        const held = now.filter((b) => b.status === 'passed' || b.status === 'skipped').length;
        opts.write(
          `${t.display}: ${changes.length === 0 ? 'no change' : `${changes.length} change(s)`} (${held} of ${now.length} blocks hold)\n`,
        );
        for (const line of changes) opts.write(`  ${line}\n`);
        last.set(t.display, now);
      }
    }
  } finally {
    for (const w of watchers) w.close();
  }
}
