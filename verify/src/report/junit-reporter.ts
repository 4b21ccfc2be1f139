import { XMLBuilder } from 'fast-xml-parser';
import { renderDiff } from '../diff/render.ts';
import type { BlockResult } from '../model/report.ts';
import type { EventOf, Reporter } from './events.ts';
import { writeReport } from './write-report.ts';
import { verdictWords } from './cause-words.ts';

/** JUnit XML for CI dashboards: a suite per page, a test case per block. */
export class JunitReporter implements Reporter {
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  onRunEnd(e: EventOf<'run-end'>): void {
    writeReport(this.file, toJunit(e.report.blocks as BlockResult[], e.report.run.durationMs));
  }
}

export function toJunit(blocks: BlockResult[], durationMs: number): string {
  const byFile = new Map<string, BlockResult[]>();
  for (const b of blocks) byFile.set(b.file, [...(byFile.get(b.file) ?? []), b]);
  const count = (bs: BlockResult[], s: string) => bs.filter((b) => b.status === s).length;
  const suites = [...byFile].map(([file, bs]) => ({
    '@_name': file,
    '@_tests': bs.length,
    '@_failures': count(bs, 'failed'),
    '@_errors': count(bs, 'error'),
    '@_skipped': count(bs, 'skipped'),
    '@_time': (bs.reduce((t, b) => t + b.durationMs, 0) / 1000).toFixed(3),
    testcase: bs.map((b) => ({
      // A merged report holds a block once per engine: the engine tells the cases apart.
      '@_name': `${b.file}:${b.line} ${b.title ?? b.lang ?? ''}${b.docker ? ` on Docker ${b.docker}` : ''}`.trim(),
      '@_classname': file.replace(/\.[^.]+$/, '').replace(/[/\\]/g, '.'),
      '@_time': (b.durationMs / 1000).toFixed(3),
      ...(b.status === 'failed' ? { failure: { '@_message': verdictWords(b) ?? 'failed', '#text': details(b) } } : {}),
      ...(b.status === 'error' ? { error: { '@_message': verdictWords(b) ?? 'error', '#text': details(b) } } : {}),
      ...(b.status === 'skipped' ? { skipped: { '@_message': verdictWords(b) ?? 'skipped' } } : {}),
    })),
  }));
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true });
  const body = builder.build({
    testsuites: {
      '@_name': 'curso-verify',
      '@_tests': blocks.length,
      '@_failures': count(blocks, 'failed'),
      '@_errors': count(blocks, 'error'),
      '@_skipped': count(blocks, 'skipped'),
      '@_time': (durationMs / 1000).toFixed(3),
      testsuite: suites,
    },
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

function details(b: BlockResult): string {
  return b.steps
    .filter((s) => s.status !== 'passed')
    .map((s) =>
      [`${b.file}:${s.line} $ ${s.ran}`, verdictWords(s) ?? '', s.diff ? renderDiff(s.diff, { color: false }) : '']
        .filter(Boolean)
        .join('\n'),
    )
    .join('\n\n');
}
