import {
  REPORT_SCHEMA_VERSION,
  summarize,
  type ReportBlock,
  type ImageProvenance,
  type ReaderEngine,
  type Report,
} from '../model/report.ts';
import { coursePathOrder } from '../shard/shard.ts';
import { majorOf } from '../snapshot/engines.ts';

// One report from the JSON reports of the shards of a run (`--shard i/n`), and of several
// engines (`--engine 28`, `--engine 26`): blocks in course order, each engine's blocks of a
// page together, the default engine first; every block says which reader's Docker it ran on;
// the summary counts them all again. Pure.

export interface NamedReport {
  /** Where it came from (a file name), for error messages. */
  name: string;
  report: Report;
}

export class MergeError extends Error {}

export interface MergeOptions {
  /** The default engine's major version ("28"): it comes first. */
  defaultMajor: string;
  /** The merge's own command line, recorded as the merged run's argv. */
  argv: string[];
}

export function mergeReports(inputs: readonly NamedReport[], opts: MergeOptions): Report {
  if (inputs.length === 0) throw new MergeError('no reports to merge');
  const modes = new Set(inputs.map((i) => i.report.run.mode));
  if (modes.size > 1)
    throw new MergeError(
      `cannot merge a verify run with an --update run (${inputs.map((i) => `${i.name}: ${i.report.run.mode}`).join(', ')})`,
    );

  const engines = new Map<string, ReaderEngine>();
  for (const { report } of inputs) if (report.run.readerEngine) engines.set(report.run.readerEngine.docker, report.run.readerEngine);
  for (const { report } of inputs) for (const e of report.run.readerEngines ?? []) engines.set(e.docker, e);
  const readerEngines = [...engines.values()].sort((a, b) => rank(a.docker, opts.defaultMajor) - rank(b.docker, opts.defaultMajor));
  const engineOrder = readerEngines.map((e) => e.docker);

  // Which input ran each page on each engine: the same page twice on one engine is a mistake
  // (overlapping shards, a report given twice), never something to average.
  const ranBy = new Map<string, string>();
  const blocks: ReportBlock[] = [];
  for (const { name, report } of inputs) {
    const seenHere = new Set<string>();
    for (const b of report.blocks) {
      const docker = b.docker ?? report.run.readerEngine?.docker;
      const key = `${b.file}|${docker ?? ''}`;
      const other = ranBy.get(key);
      if (other !== undefined && other !== name) {
        throw new MergeError(
          `${other} and ${name} both hold results of ${b.file}${docker ? ` on Docker ${docker}` : ''}: overlapping shards or a report given twice`,
        );
      }
      ranBy.set(key, name);
      seenHere.add(key);
      blocks.push(docker === undefined ? { ...b } : { ...b, docker });
    }
  }
  const engineRank = (b: ReportBlock) => (b.docker === undefined ? engineOrder.length : engineOrder.indexOf(b.docker));
  // Stable sort: within a page and engine, blocks keep their run order.
  blocks.sort((a, b) => coursePathOrder(a.file, b.file) || engineRank(a) - engineRank(b));

  const started = inputs.map((i) => i.report.run.startedAt).sort()[0]!;
  const finished = inputs
    .map((i) => i.report.run.finishedAt)
    .sort()
    .at(-1)!;
  const fatal = inputs.filter((i) => i.report.run.fatal).map((i) => `${i.name}: ${i.report.run.fatal}`);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    run: {
      startedAt: started,
      finishedAt: finished,
      // The shards ran side by side: the merged run took from the first start to the last end.
      durationMs: Date.parse(finished) - Date.parse(started),
      mode: inputs[0]!.report.run.mode,
      argv: opts.argv,
      engine: inputs.find((i) => i.report.run.engine)?.report.run.engine ?? null,
      client: inputs.find((i) => i.report.run.client)?.report.run.client ?? null,
      readerEngine: readerEngines[0] ?? null,
      readerEngines,
      images: mergeImages(inputs.flatMap((i) => i.report.run.images)),
      fatal: fatal.length > 0 ? fatal.join('; ') : null,
    },
    summary: summarize(blocks),
    blocks,
  };
}

/** The default engine first, then the others, newest first. */
function rank(docker: string, defaultMajor: string): number {
  const major = Number(majorOf(docker));
  return majorOf(docker) === defaultMajor ? -Infinity : -major;
}

/** Each image once (by reference and ID: two engines' labs may have built different stand-ins). */
function mergeImages(images: readonly ImageProvenance[]): ImageProvenance[] {
  const byKey = new Map(images.map((i) => [`${i.ref}|${i.id ?? ''}`, i]));
  return [...byKey.values()].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}
