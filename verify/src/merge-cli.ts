import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LAB_SUITES } from './engine/config.ts';
import { mergeReports, MergeError, type NamedReport } from './merge/merge-reports.ts';
import { ReportSchema, type Report } from './model/report.ts';
import { toJunit } from './report/junit-reporter.ts';
import { summaryMarkdown } from './report/summary-markdown.ts';
import { defaultSnapshotPath, readSnapshot, SnapshotError, writeSnapshot } from './snapshot/file.ts';
import { majorOf } from './snapshot/engines.ts';
import { refreshFromReport } from './snapshot/refresh.ts';
import { mergePathResults } from './snapshot/merge.ts';

// npm run verify:merge -- out.json shard-1.json shard-2.json … : the shards' (and engines') JSON
// reports as one (merge/merge-reports.ts). Exit codes as npm run verify's, for the merged run:
// 0 every block held · 1 drift · 2 an error block, a run that could not finish, or bad input
// (then nothing is written).

const HELP = `Usage: npm run verify:merge -- [options] <out.json> <report.json>…

Merges the JSON reports of npm run verify (--shard i/n, --engine 26|28) into one report:
blocks in course order, each block with the reader's Docker it ran on, the summary counted
again.

Options:
  --junit <file>      also write the merged report as JUnit XML
  --snapshot          refresh the verification snapshot from the merged report: the default
                      engine's results become the badges, the other engines' are kept beside them
  --snapshot-file <f> the snapshot to refresh (default: content/verification.json)
  --path <report.json>
                      a reader's path report (npm run verify -- --path): recorded beside each
                      block's own result with --snapshot, summarised, and its drift fails the
                      merge too; repeatable
  --summary <file>    append a Markdown summary (counts per engine, every block that did not
                      hold, with links), e.g. "$GITHUB_STEP_SUMMARY"
  --blob-url <url>    where the summary's links point: <url>/<file>#L<line>
  --summary-every-block
                      list every block in the summary with its status, not only those that
                      did not hold (a pull request's changed pages)
  -h, --help          this help

Exit codes: 0 all held · 1 drift · 2 errors or bad input.`;

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        junit: { type: 'string' },
        snapshot: { type: 'boolean', default: false },
        'snapshot-file': { type: 'string' },
        summary: { type: 'string' },
        'blob-url': { type: 'string' },
        'summary-every-block': { type: 'boolean', default: false },
        path: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [out, ...ins] = args.positionals;
  if (!out || ins.length === 0) {
    process.stderr.write(`curso-verify merge: give the merged report's file, then at least one report to merge\n\n${HELP}\n`);
    return 2;
  }
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const snapshotFile = path.resolve(cwd, args.values['snapshot-file'] ?? defaultSnapshotPath(cwd));
  let merged: Report;
  let snapshot;
  let paths: Report[];
  try {
    paths = (args.values.path ?? []).map((f) => readReport(path.resolve(cwd, f), f).report);
    const notPath = paths.findIndex((r) => r.run.scope !== 'path');
    if (notPath >= 0) throw new MergeError(`${args.values.path![notPath]}: not a reader's path report (run npm run verify -- --path)`);
    const inputs = ins.map((f) => readReport(path.resolve(cwd, f), f));
    merged = mergeReports(inputs, { defaultMajor: majorOf(LAB_SUITES.forky), argv: ['verify:merge', ...argv] });
    if (args.values.snapshot) snapshot = readSnapshot(snapshotFile);
  } catch (e) {
    if (!(e instanceof MergeError || e instanceof SnapshotError)) throw e;
    process.stderr.write(`curso-verify merge: ${e.message}\n`);
    return 2;
  }

  write(path.resolve(cwd, out), `${JSON.stringify(ReportSchema.parse(merged), null, 2)}\n`);
  if (args.values.junit) write(path.resolve(cwd, args.values.junit), toJunit(merged.blocks, merged.run.durationMs));
  if (args.values.snapshot) {
    const read = (f: string) => {
      const p = path.resolve(cwd, f);
      return existsSync(p) ? readFileSync(p, 'utf8') : null;
    };
    let fresh = refreshFromReport(snapshot ?? null, merged, { defaultMajor: majorOf(LAB_SUITES.forky), read });
    for (const p of paths) if (fresh) fresh = mergePathResults(fresh, p).snapshot;
    if (fresh) writeSnapshot(snapshotFile, fresh);
  }
  if (args.values.summary) {
    for (const r of [merged, ...paths])
      appendFileSync(
        path.resolve(cwd, args.values.summary),
        summaryMarkdown(r, { blobUrl: args.values['blob-url'], every: args.values['summary-every-block'] }),
      );
  }

  const s = merged.summary;
  const engines = (merged.run.readerEngines ?? []).map((e) => e.docker).join(', ') || 'no engine';
  process.stdout.write(
    `merged ${ins.length} reports (${engines}): ${s.total} blocks, ${s.passed} passed, ${s.failed} failed, ${s.error} errors, ${s.skipped} skipped → ${out}\n`,
  );
  for (const p of paths)
    process.stdout.write(
      `reader's path: ${p.summary.total} blocks, ${p.summary.passed} passed, ${p.summary.failed} failed, ${p.summary.error} errors, ${p.summary.skipped} skipped\n`,
    );
  const all = [merged, ...paths];
  if (all.some((r) => r.run.fatal || r.summary.error > 0)) return 2;
  return all.some((r) => r.summary.failed > 0) ? 1 : 0;
}

/** A report file, checked against the report schema; anything else names the file. */
function readReport(file: string, shown: string): NamedReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new MergeError(`${shown}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new MergeError(`${shown}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = ReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MergeError(
      `${shown}: not a verify report (${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}); see verify/docs/report.md`,
    );
  }
  return { name: shown, report: parsed.data };
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`curso-verify merge: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
