import { imagesMentioned } from '../engine/stand-ins/table.ts';
import { extractPage } from '../extract/markdown.ts';
import { blockKey } from '../model/block-id.ts';
import type { ReportBlock, Report } from '../model/report.ts';
import { majorOf, recordEngineResults } from './engines.ts';
import { mergeSnapshot } from './merge.ts';
import type { Snapshot } from './model.ts';

// The snapshot after a merged report (npm run verify:merge -- --snapshot): the default engine's
// blocks refresh the entries (snapshot/merge.ts, as a run does), every other engine's are
// recorded beside them (snapshot/engines.ts). As after a run, only blocks still on disk as they
// ran count: a page edited since its shard ran must be verified again. Pure but for `read`.

export interface RefreshOptions {
  /** The major version of the default engine ("28"): its results are the badges. */
  defaultMajor: string;
  /** A page's source now (path relative to the working directory), null when it is gone. */
  read: (file: string) => string | null;
}

export function refreshFromReport(old: Snapshot | null, report: Report, opts: RefreshOptions): Snapshot | null {
  const sources = new Map<string, string | null>();
  const source = (f: string) => {
    if (!sources.has(f)) sources.set(f, opts.read(f));
    return sources.get(f)!;
  };
  // The blocks of each page as it is on disk now, by identity.
  const blocksNow = new Map<string, Set<string>>();
  const onDisk = (f: string) => {
    if (!blocksNow.has(f)) {
      const src = source(f);
      blocksNow.set(f, new Set(src === null ? [] : extractPage(f, src).blocks.map(blockKey)));
    }
    return blocksNow.get(f)!;
  };
  const dockerOf = (b: ReportBlock) => b.docker ?? report.run.readerEngine?.docker ?? null;
  const byMajor = new Map<string, { docker: string; blocks: ReportBlock[] }>();
  for (const b of report.blocks) {
    const docker = dockerOf(b);
    // No reader's engine: the run never got a lab, its blocks say nothing about any engine.
    if (docker === null || !onDisk(b.file).has(blockKey(b))) continue;
    const group = byMajor.get(majorOf(docker)) ?? { docker, blocks: [] };
    group.blocks.push(b);
    byMajor.set(majorOf(docker), group);
  }

  let snapshot = old;
  const main = byMajor.get(opts.defaultMajor);
  if (main) {
    const files = [...new Set(main.blocks.map((b) => b.file))];
    // A page ran whole when every block on disk has its result (a `page.md:LINE` run reports one).
    const ran = new Set(main.blocks.map(blockKey));
    const whole = files.filter((f) => [...onDisk(f)].every((k) => ran.has(k)));
    const engine = report.run.readerEngines?.find((e) => e.docker === main.docker) ?? report.run.readerEngine ?? null;
    snapshot = mergeSnapshot(
      old,
      { ...report, run: { ...report.run, readerEngine: engine }, blocks: main.blocks },
      {
        wholeFiles: new Set(whole),
        pageImages: new Map(files.map((f) => [f, imagesMentioned([source(f) ?? ''])])),
        exists: (f) => source(f) !== null,
      },
    );
  }
  if (!snapshot) return null;
  for (const [major, group] of byMajor) {
    if (major !== opts.defaultMajor) snapshot = recordEngineResults(snapshot, group.blocks, group.docker);
  }
  return snapshot;
}
