import path from 'node:path';
import { parseArgs } from 'node:util';
import { collectTargets, TargetError } from './collect/collect.ts';
import { prepareEngineSession } from './engine-session.ts';
import { JsonReporter } from './report/json-reporter.ts';
import { JunitReporter } from './report/junit-reporter.ts';
import { TerminalReporter } from './report/terminal-reporter.ts';
import type { Reporter } from './report/events.ts';
import { Mode, runAll } from './run/runner.ts';

// npm run verify -- [paths…] [--update] [--report out.json] [--junit out.xml]
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

Options:
  --update            rewrite the documented output of failed steps from the actual output
                      (keeps "...", "[..]" and documented IDs; never touches prose)
  --report <file>     write the JSON report (schema: verify/docs/report.md)
  --junit <file>      write JUnit XML
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
        report: { type: 'string' },
        junit: { type: 'string' },
        'timeout-scale': { type: 'string' },
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

  const color = args.values['no-color'] ? false : (args.values.color ?? (process.stdout.isTTY || !!process.env.FORCE_COLOR));
  const reporters: Reporter[] = [new TerminalReporter({ color })];
  if (args.values.report) reporters.push(new JsonReporter(path.resolve(cwd, args.values.report)));
  if (args.values.junit) reporters.push(new JunitReporter(path.resolve(cwd, args.values.junit)));

  const report = await runAll({
    targets,
    mode: args.values.update ? Mode.update : Mode.verify,
    argv,
    reporters,
    prepareEngine: prepareEngineSession,
    timeoutScale: scale,
  });
  if (report.run.fatal || report.summary.error > 0) return EXIT.error;
  if (report.summary.failed > 0) return EXIT.drift;
  return EXIT.ok;
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`curso-verify: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = EXIT.error;
    },
  );
}
