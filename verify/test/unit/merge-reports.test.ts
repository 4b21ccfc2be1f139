import { describe, expect, it } from 'vitest';
import { mergeReports, MergeError } from '../../src/merge/merge-reports.ts';
import { REPORT_SCHEMA_VERSION, type ReportBlock, type Report } from '../../src/model/report.ts';
import { summaryMarkdown } from '../../src/report/summary-markdown.ts';
import { reportBlock } from './results.ts';

const blk = (file: string, line: number, status: ReportBlock['status']): ReportBlock =>
  reportBlock({ file, line, digest: `d${line}`, status, cause: status === 'failed' ? { kind: 'output-differs' } : null });
const rep = (docker: string, blocks: ReportBlock[], t: string): Report => ({
  schemaVersion: REPORT_SCHEMA_VERSION,
  run: {
    startedAt: t,
    finishedAt: t,
    durationMs: 1,
    mode: 'verify',
    argv: [],
    engine: null,
    client: null,
    readerEngine: { docker, buildx: 'x', compose: 'y', suite: 's' },
    images: [],
    fatal: null,
  },
  summary: { passed: 0, failed: 0, skipped: 0, error: 0, total: 0 },
  blocks,
});

describe('mergeReports', () => {
  const a = rep('26.1.5', [blk('content/red.md', 3, 'failed'), blk('content/en/red.md', 3, 'passed')], '2026-12-06T01:05:00.000Z');
  const b = rep('28.5.2', [blk('content/red.md', 3, 'passed'), blk('content/dockerfile.md', 1, 'passed')], '2026-12-06T01:00:00.000Z');
  it('keeps course order, the default engine first, every engine, and counts again', () => {
    const m = mergeReports(
      [
        { name: 'a.json', report: a },
        { name: 'b.json', report: b },
      ],
      { defaultMajor: '28', argv: [] },
    );
    expect(m.blocks.map((x) => `${x.file} ${x.docker}`)).toEqual([
      'content/dockerfile.md 28.5.2',
      'content/en/red.md 26.1.5',
      'content/red.md 28.5.2',
      'content/red.md 26.1.5',
    ]);
    expect(m.summary).toEqual({ passed: 3, failed: 1, skipped: 0, error: 0, total: 4 });
    expect(m.run.readerEngines?.map((e) => e.docker)).toEqual(['28.5.2', '26.1.5']);
    expect(m.run.durationMs).toBe(5 * 60_000);
    expect(summaryMarkdown(m, { blobUrl: 'https://h/o/r/blob/s' })).toContain(
      '[content/red.md:3](https://h/o/r/blob/s/content/red.md#L3) failed on Docker 26.1.5: output differs from the documented output',
    );
  });
  it('refuses the same page twice on one engine, naming both reports', () => {
    expect(() =>
      mergeReports(
        [
          { name: 'a.json', report: a },
          { name: 'c.json', report: a },
        ],
        { defaultMajor: '28', argv: [] },
      ),
    ).toThrow(MergeError);
    expect(() =>
      mergeReports(
        [
          { name: 'a.json', report: a },
          { name: 'c.json', report: a },
        ],
        { defaultMajor: '28', argv: [] },
      ),
    ).toThrow('a.json and c.json');
  });
});

describe('the nightly summary', () => {
  it('says on a line of its own that blocks failed because of the infrastructure, not drift', () => {
    const infra: ReportBlock = {
      ...blk('content/wordpress.md', 40, 'error'),
      cause: { kind: 'infrastructure', fault: 'rate-limit', evidence: 'toomanyrequests' },
    };
    const md = summaryMarkdown(rep('28.5.2', [infra, blk('content/red.md', 3, 'failed')], '2026-12-06T01:00:00.000Z'));
    expect(md).toContain('**Not drift: 1 block(s) could not be verified again because of the infrastructure (rate-limit).**');
    expect(summaryMarkdown(rep('28.5.2', [blk('content/red.md', 3, 'failed')], '2026-12-06T01:00:00.000Z'))).not.toContain('Not drift');
  });
});

describe('the pull request summary', () => {
  it('lists every block with its status and a link to its line, then those that did not hold', () => {
    const md = summaryMarkdown(
      rep('28.5.2', [blk('content/red.md', 3, 'passed'), blk('content/red.md', 9, 'failed')], '2026-12-06T01:00:00.000Z'),
      {
        every: true,
        blobUrl: 'https://h/o/r/blob/s',
      },
    );
    expect(md).toContain(
      '### Every block (2)\n\n- ✓ [content/red.md:3](https://h/o/r/blob/s/content/red.md#L3) passed\n- ✗ [content/red.md:9](https://h/o/r/blob/s/content/red.md#L9) failed: output differs from the documented output\n',
    );
    expect(md).toContain('### Blocks that did not hold (1)');
  });
});
