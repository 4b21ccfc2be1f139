import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { collectTargets, TargetError } from './collect/collect.ts';
import { pageUnit } from './collect/units.ts';
import { renderDiff } from './diff/render.ts';
import { prepareEngineSession, type SessionLab } from './engine-session.ts';
import { type LabSuite, LabSuiteError, resolveLabSuite } from './engine/config.ts';
import type { BlockResult } from './model/report.ts';
import { verdictWords } from './report/cause-words.ts';
import { describeFatal, isExpectedFailure } from './run/fatal.ts';
import { labSetup } from './run/lab-setup.ts';
import { runPage } from './run/page-runner.ts';
import type { EngineSession } from './run/runner.ts';

// npm run lab -- page.md[:LINE] [-c COMMAND]
// The lab of a page, as the reader has it at LINE: a fresh lab (the reader's machine, with the
// images they arrive with), the page's blocks before LINE run in it, then a shell as the reader
// (`lector`) where they stopped, or one command. Leaving the shell removes the lab.
// Exit codes: the shell's or the command's own · 2 bad input, or no lab could be made.

const HELP = `Usage: npm run lab -- page.md[:LINE] [-c COMMAND]

Opens a shell as the reader (lector) in a fresh lab where the page's blocks before LINE have
run: LINE is a block's fence line, or a command's line (the earlier steps of its block run
too). Without LINE, the whole page runs first. Ctrl-D or \`exit\` leaves and removes the lab;
so does Ctrl-C while the lab is being prepared. Nothing is left on the engine.

Options:
  -c, --command <cmd>  run one command there instead of a shell, print its output, and exit
                       with its exit status
  -h, --help           this help
`;

/** `suite`: the lab's Debian suite when a caller has one (verify --shell-on-failure passes its run's). */
export async function main(argv: string[], opts: { suite?: LabSuite } = {}): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { command: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    process.stderr.write(`curso-lab: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positionals.length !== 1) {
    process.stderr.write(`curso-lab: give one page, e.g. content/flask.md:42\n\n${HELP}`);
    return 2;
  }
  let suite: LabSuite;
  try {
    suite = opts.suite ?? resolveLabSuite(undefined);
  } catch (e) {
    if (!(e instanceof LabSuiteError)) throw e;
    process.stderr.write(`curso-lab: ${e.message}\n`);
    return 2;
  }
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const arg = args.positionals[0]!;
  let target;
  try {
    [target] = collectTargets([arg], cwd);
  } catch (e) {
    if (!(e instanceof TargetError)) throw e;
    process.stderr.write(`curso-lab: ${e.message}\n`);
    return 2;
  }
  if (!target?.path.endsWith('.md')) {
    process.stderr.write(`curso-lab: ${arg}: not a Markdown page\n`);
    return 2;
  }
  const unit = pageUnit(target);
  const setup = labSetup(unit.page, target.line);
  if (!setup.ok) {
    process.stderr.write(`curso-lab: ${setup.problem}\n`);
    return 2;
  }

  const say = (msg: string) => process.stderr.write(`${msg}\n`);
  const started = Date.now();
  let session: EngineSession<SessionLab> | null = null;
  let lab: (SessionLab & { dispose(): Promise<void> }) | null = null;
  // Ctrl-C while the lab is prepared is the engine layer's: it removes what the run made and
  // exits 130 (engine/cleanup.ts). In the shell, Ctrl-C belongs to the shell.
  const cleanUp = async () => {
    await lab?.dispose().catch(() => {});
    await session?.dispose().catch(() => {});
  };
  try {
    session = await prepareEngineSession(say, [unit.source], { suite });
    lab = await session.createLab(unit.page.file, unit.lab);
    const run = await runPage(setup.page, lab, {});
    const where = run.cwd ?? lab.workdir;
    say(`lab ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${unit.page.file}, before ${setup.before}`);
    say(describeLab(session, run.results, where));
    const broken = run.results.find((r) => r.status === 'failed' || r.status === 'error');
    if (broken) say(describeFailure(broken));
    const command = args.values.command;
    const name = path.basename(unit.page.file);
    const prompt = `[lab ${name}${target.line ? `:${target.line}` : ''}] \\w\\$ `;
    if (command === undefined) say('a shell as the reader; Ctrl-D or `exit` leaves and removes the lab');
    const shell = lab.readerShell({ cwd: where, tty: command === undefined && process.stdin.isTTY === true, command, prompt });
    return await attach(shell);
  } catch (e) {
    const text = isExpectedFailure(e) ? describeFatal(e) : `internal error: ${(e as Error).stack ?? String(e)}`;
    say(`curso-lab: ${text}`);
    return 2;
  } finally {
    await cleanUp();
  }
}

/** The stand-ins the lab can use and the files the page wrote, for the maintainer's bearings. */
function describeLab(session: EngineSession<SessionLab>, results: readonly BlockResult[], cwd: string): string {
  const standIns = session.images.filter((i) => i.source === 'stand-in').map((i) => i.ref);
  const files = results.flatMap((r) =>
    r.cause?.kind === 'written' || r.cause?.kind === 'checked-by' || r.cause?.kind === 'written-only' ? [r] : [],
  );
  const written = files.map((r) => `${r.title ?? r.lang} (line ${r.line})`);
  return [
    `  directory: ${cwd}`,
    `  stand-in images: ${standIns.length > 0 ? standIns.join(', ') : 'none'}`,
    `  files the page wrote: ${written.length > 0 ? written.join(', ') : 'none'}`,
  ].join('\n');
}

/** The first block that did not hold before LINE: where, why, and its diff. */
function describeFailure(b: BlockResult): string {
  const out = [`${b.file}:${b.line} ${b.status === 'failed' ? 'did not hold' : 'could not be verified'}: ${verdictWords(b) ?? b.status}`];
  for (const s of b.steps.filter((st) => st.status !== 'passed')) {
    out.push(`  ${b.file}:${s.line} $ ${s.ran.split('\n')[0]}`);
    if (s.diff) out.push(renderDiff(s.diff, { color: false }).replace(/^/gm, '    '));
  }
  out.push('the lab is open at that point: what ran after it did not run');
  return out.join('\n');
}

/** Runs the shell (or command) on this terminal and gives back its exit status. */
function attach(shell: { file: string; args: string[]; env: Record<string, string> }): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(shell.file, shell.args, { stdio: 'inherit', env: { ...process.env, ...shell.env } });
    child.on('error', (e) => {
      process.stderr.write(`curso-lab: could not start the shell: ${e.message}\n`);
      resolve(2);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + 2 : 2)));
  });
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`curso-lab: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
