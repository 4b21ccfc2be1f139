import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { collectTargets } from '../src/collect/collect.ts';
import { prepareEngineSession, type SessionLab } from '../src/engine-session.ts';
import { defaultCacheDir } from '../src/engine/cache-dir.ts';
import { harnessDockerdPaths, harnessDockerdPid } from '../src/engine/dockerd.ts';
import { extractPage } from '../src/extract/markdown.ts';
import { stepsOf, type Block } from '../src/model/plan.ts';
import type { BlockResult } from '../src/model/report.ts';
import type { Reporter, RunEvent } from '../src/report/events.ts';
import { verdictWords } from '../src/report/cause-words.ts';
import { Mode, runAll, type EngineSession } from '../src/run/runner.ts';
import { stepTimeoutMs } from '../src/run/timeouts.ts';
import { rerunFigures } from './reruns.ts';
import { stabilityFigures } from './stability.ts';

// npm run bench [-- --cold] [--overhead] [--jobs N] [paths…]
// npm run bench -- --repeat 5 [paths…]   the flake check alone (stability.ts)
//
// Prints figures, asserts nothing:
//  - reruns (reruns.ts): on a copy of the course, a forced run, an unchanged rerun, a rerun
//    after one page changed, and --jobs 1 against --jobs 2 over six pages, side by side;
//  - --overhead: the harness's wall time over the pages against a plain bash replay of the same
//    commands (the commands the harness typed, files written with heredocs, the same timeouts
//    for commands that never end), both against the same engine with warm images and one
//    fresh lab per page, so the ratio is the harness's own overhead (PTY, rendering, matching);
//  - --cold: time from no engine and no images (the harness's own dockerd stopped and its data
//    removed) to the first verified block. Destructive for the harness's cache, so opt-in.

const args = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    cold: { type: 'boolean', default: false },
    overhead: { type: 'boolean', default: false },
    jobs: { type: 'string', default: '2' },
    // Only the flake check: the course N times, statuses compared (stability.ts).
    repeat: { type: 'string' },
  },
});
const root = path.resolve(import.meta.dirname, '../..');
const cwd = process.env.INIT_CWD ?? process.cwd();
const silent: Reporter = { onEvent: () => {} };
const log = (m: string) => process.stdout.write(`  ${m}\n`);

const course = args.positionals.length > 0 ? args.positionals : [path.join(root, 'content')];
if (args.values.repeat !== undefined) {
  await stabilityFigures({ course: path.resolve(cwd, course[0]!), runs: Number(args.values.repeat), jobs: Number(args.values.jobs) });
  process.exit(0);
}
if (args.values.cold) await coldStart();
await rerunFigures({ course: path.resolve(cwd, course[0]!), jobs: Number(args.values.jobs) });
if (args.values.overhead) await warm(course);

async function coldStart(): Promise<void> {
  const cacheDir = defaultCacheDir();
  const paths = harnessDockerdPaths(cacheDir);
  const pid = harnessDockerdPid(paths);
  if (existsSync('/var/run/docker.sock') || process.env.DOCKER_HOST) {
    console.log('cold start: skipped (an engine the harness does not own is configured; it will not be stopped)');
    return;
  }
  if (pid) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && harnessDockerdPid(paths); i++) await new Promise((r) => setTimeout(r, 200));
  }
  // --one-file-system: never follow a mount that outlived the engine out of the cache.
  await execa('rm', ['-rf', '--one-file-system', cacheDir]);
  const first = path.join(root, 'verify/bench/first-block.md');
  const t0 = Date.now();
  let firstBlockMs: number | null = null;
  const watch: Reporter = {
    onEvent: (e: RunEvent) => {
      if (e.type === 'block-end' && e.result.status === 'passed' && firstBlockMs === null) firstBlockMs = Date.now() - t0;
    },
  };
  const report = await runAll({
    targets: collectTargets([first], cwd),
    mode: Mode.verify,
    argv: [first],
    reporters: [watch],
    prepareEngine: (l, pages) => prepareEngineSession(l, pages),
  });
  console.log(
    `cold start (no engine, no images → first verified block): ${fmt(firstBlockMs)} (run ${report.summary.passed}/${report.summary.total} passed)`,
  );
}

async function warm(paths: string[]): Promise<void> {
  const targets = collectTargets(paths, cwd);
  const engine = await prepareEngineSession(
    log,
    targets.map((t) => readFileSync(t.path, 'utf8')),
  );
  // The engine is prepared once for both sides; only labs and commands are timed.
  const shared: EngineSession<SessionLab> = { ...engine, dispose: async () => {} };
  try {
    const t0 = Date.now();
    const report = await runAll({ targets, mode: Mode.verify, argv: paths, reporters: [silent], prepareEngine: async () => shared });
    const harnessMs = Date.now() - t0;

    const t1 = Date.now();
    for (const t of targets) {
      const page = extractPage(t.display, readFileSync(t.path, 'utf8'));
      const results = report.blocks.filter((b) => b.file === t.display);
      const script = replayScript(page.blocks, results);
      if (script.trim() === '') continue;
      const lab = await shared.createLab(t.display);
      try {
        await execa('docker', ['exec', '-i', '-w', lab.workdir, lab.name, 'bash', '-s'], {
          input: script,
          env: { ...process.env, ...lab.shell().env },
          reject: false,
          timeout: 3_600_000,
        });
      } finally {
        await lab.dispose();
      }
    }
    const replayMs = Date.now() - t1;
    const s = report.summary;
    console.log(
      `pages: ${targets.length}, blocks: ${s.total} (passed ${s.passed}, failed ${s.failed}, skipped ${s.skipped}, error ${s.error})`,
    );
    console.log(`harness: ${fmt(harnessMs)}  plain bash replay: ${fmt(replayMs)}  ratio: ${(harnessMs / replayMs).toFixed(3)}`);
  } finally {
    await engine.dispose();
  }
}

/** The same commands as one bash script, in page order, the way a careful human would replay them. */
function replayScript(blocks: Block[], results: BlockResult[]): string {
  const byLine = new Map(results.map((r) => [r.line, r]));
  const out: string[] = [];
  for (const b of blocks) {
    const r = byLine.get(b.line);
    if (!r || r.status === 'skipped' || r.status === 'error') continue;
    if (b.kind === 'file') {
      out.push(`mkdir -p "$(dirname '${b.writeTo}')" && cat > '${b.writeTo}' <<'CURSO_BENCH_EOF'\n${b.code}\nCURSO_BENCH_EOF`);
      continue;
    }
    for (const s of r.steps) {
      // Without a terminal, `-it` becomes `-i`: the lines after it reach the program on stdin.
      let cmd = s.ran.replace(/(\s)-(i?)t(i?)(?=\s)/g, (_m, sp, a, b2) => (a || b2 ? `${sp}-i` : sp));
      const step = stepsOf(b).find((x) => x.line === s.line);
      if (/^timed out/.test(verdictWords(s) ?? '')) {
        // The harness waited out the step's limit (a command that never ends, or an editor that
        // waits for a human); the replay waits as long, whether or not the command needs a tty.
        const limit = Math.ceil(stepTimeoutMs(s.ran, b.annotations['verify-timeout']) / 1000);
        cmd = `__t=$SECONDS; timeout -s INT ${limit} bash -c ${quote(cmd)}; __r=$(( ${limit} - (SECONDS - __t) )); [ $__r -gt 0 ] && sleep $__r`;
      } else if (step?.outcome.expect === 'interrupted') {
        cmd = `timeout -s INT ${Math.max(1, Math.ceil(s.durationMs / 1000))} bash -c ${quote(cmd)}`;
      }
      if (b.annotations['verify-background']) cmd = `{ ${cmd}\n} >/dev/null 2>&1 &`;
      out.push(cmd);
    }
  }
  return `${out.join('\n')}\n`;
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function fmt(ms: number | null): string {
  return ms === null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`;
}
