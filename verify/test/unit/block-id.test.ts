import { fromMarkdown } from 'mdast-util-from-markdown';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/markdown.ts';
import { blockIds, blockKey, type BlockId } from '../../src/model/block-id.ts';
import type { Block } from '../../src/model/plan.ts';
import { ranNow, type ReportBlock, type Status } from '../../src/model/report.ts';
import { errorResult, sessionResult } from '../../src/model/results.ts';
import { compareToSnapshot } from '../../src/snapshot/compare.ts';
import { mergeSnapshot } from '../../src/snapshot/merge.ts';
import type { Snapshot } from '../../src/snapshot/model.ts';
import { refreshFromReport } from '../../src/snapshot/refresh.ts';
import { report as reportOf } from './results.ts';

// A block's one identity (model/block-id.ts): its content digest and its order among the page's
// blocks with that digest. The plan, the results, the snapshot and the site all use it.

const fence = (lang: string, text: string, meta = '') => `\`\`\`${lang}${meta ? ` ${meta}` : ''}\n${text}\n\`\`\`\n`;
const ids = (source: string): BlockId[] => [...blockIds(fromMarkdown(source)).values()];

describe('a block’s identity', () => {
  it('tells identical blocks of a page apart by their order, and only those', () => {
    const [a, b, c, d] = ids(
      [
        fence('console', '$ true'),
        'Again:\n',
        fence('console', '$ true'),
        fence('console', '$ echo hi\nhi'),
        fence('console', '$ true'),
      ].join('\n'),
    );
    expect([a, b, d].map((x) => x!.digest)).toEqual([a!.digest, a!.digest, a!.digest]);
    expect([a, b, d].map((x) => x!.occurrence)).toEqual([0, 1, 2]);
    expect(c).toEqual({ digest: expect.not.stringMatching(a!.digest), occurrence: 0 });
  });

  it('stays with a block that moves or whose prose changes', () => {
    const one = fence('console', '$ docker ps');
    const two = fence('dockerfile', 'FROM busybox', 'title="Dockerfile"');
    const before = ids(`# T\n\nFirst:\n\n${one}\nThen:\n\n${two}`);
    const after = ids(
      `# T\n\nA new paragraph, and the blocks swapped.\n\n${two}\nNow:\n\n- in a list\n\n  ${one.replace(/\n(?!$)/g, '\n  ')}`,
    );
    expect(after).toEqual([before[1], before[0]]);
  });

  it('changes with any change the reader can see, whitespace included', () => {
    const [base, spaced, indented, trailing, otherMeta, otherLang] = ids(
      [
        fence('console', '$ echo a b'),
        fence('console', '$ echo a  b'),
        fence('console', '  $ echo a b'),
        fence('console', '$ echo a b  '),
        fence('console', '$ echo a b', 'title="x"'),
        fence('shell', '$ echo a b'),
      ].join('\n'),
    );
    const digests = [base, spaced, indented, trailing, otherMeta, otherLang].map((x) => x!.digest);
    expect(new Set(digests).size).toBe(6);
    // Each is the first of its kind: blocks that differ only in whitespace are not "identical".
    expect([spaced, indented, trailing].map((x) => x!.occurrence)).toEqual([0, 0, 0]);
  });

  it('does not change with what no reader sees: line endings, the case of the language, space around the meta', () => {
    const [lf, crlf, upper, metaSpace] = ids(
      [
        fence('console', '$ echo a\nb', 'title="x"'),
        fence('console', '$ echo a\nb', 'title="x"').replace(/\n/g, '\r\n'),
        fence('CONSOLE', '$ echo a\nb', 'title="x"'),
        fence('console', '$ echo a\nb', 'title="x"  '),
      ].join('\n'),
    );
    expect([crlf, upper, metaSpace].map((x) => x!.digest)).toEqual([lf!.digest, lf!.digest, lf!.digest]);
    expect([lf, crlf, upper, metaSpace].map((x) => x!.occurrence)).toEqual([0, 1, 2, 3]);
  });

  it('is the id the harness gives each block of its plan, counting every code block of the page', () => {
    // An indented code block is not the harness's to run, but the site renders it, so it counts.
    const source = `# T\n\n    $ true\n\n${fence('', '$ true')}\n${fence('console', '$ true')}\n${fence('', '$ true')}`;
    const plan = extractPage('p.md', source).blocks;
    const tree = [...blockIds(fromMarkdown(source)).values()];
    expect(plan.map((b) => ({ digest: b.digest, occurrence: b.occurrence }))).toEqual(tree.slice(1));
    expect(plan.map((b) => b.occurrence)).toEqual([1, 0, 2]);
  });
});

describe('the snapshot, by the identity each result carries', () => {
  const file = 'content/p.md';
  const source = `# T\n\n${fence('console', '$ true')}\n${fence('console', '$ echo hi\nhi')}\n${fence('console', '$ true')}`;
  const blocks = extractPage(file, source).blocks;
  const at = '2026-12-07T00:00:00.000Z';
  const resultOf = (b: Block, status: Status): ReportBlock =>
    ranNow(status === 'error' ? errorResult(b, { kind: 'engine-stopped' }) : { ...sessionResult(b, [], 1), status }, new Date(at));
  const report = (results: ReportBlock[]) =>
    reportOf(results, { readerEngine: { docker: '28.5.2', buildx: 'v0.29', compose: '2.40', suite: 'forky' } }, at);
  const merge = (old: Snapshot | null, results: ReportBlock[], whole: boolean) =>
    mergeSnapshot(old, report(results), { wholeFiles: new Set(whole ? [file] : []), pageImages: new Map(), exists: () => true });
  const all = merge(
    null,
    blocks.map((b) => resultOf(b, 'passed')),
    true,
  );

  it('records each block under its own identity', () => {
    expect(all.blocks.map((b) => [b.line, b.occurrence])).toEqual(blocks.map((b) => [b.line, b.occurrence]));
    expect(all.blocks.map((b) => b.occurrence)).toEqual([0, 0, 1]);
  });

  it('refreshes the entry of the very block a `page.md:LINE` run ran, even the second of two identical ones', () => {
    // The run reports one block: the second `$ true`. Its identity is its page's, not its place in the report.
    const second = resultOf(blocks[2]!, 'failed');
    const after = merge(all, [second], false);
    expect(after.blocks.map((b) => [b.line, b.status])).toEqual([
      [3, 'passed'],
      [7, 'passed'],
      [12, 'failed'],
    ]);
    expect(compareToSnapshot(all, report([second])).map((v) => v.verdict)).toEqual(['regressed']);
  });

  it('takes a merged report’s page as run whole only when every block on disk, by identity, has its result', () => {
    // The snapshot still has a block the page has since lost: a page that ran whole drops it.
    const gone = extractPage(file, `${source}\n${fence('console', '$ gone')}`).blocks[3]!;
    const old = merge(all, [resultOf(gone, 'passed')], false);
    const refreshed = (results: ReportBlock[]) => refreshFromReport(old, report(results), { defaultMajor: '28', read: () => source });
    // Without the second `$ true` (its digest is on disk, but not with that order), the page did not run whole.
    const part = refreshed([resultOf(blocks[0]!, 'failed'), resultOf(blocks[1]!, 'failed')])!;
    expect(part.blocks.map((b) => [b.line, b.status])).toEqual([
      [3, 'failed'],
      [7, 'failed'],
      [12, 'passed'],
      [16, 'passed'],
    ]);
    const whole = refreshed(blocks.map((b) => resultOf(b, 'failed')))!;
    expect(whole.blocks.map((b) => [b.line, b.status])).toEqual([
      [3, 'failed'],
      [7, 'failed'],
      [12, 'failed'],
    ]);
    expect(whole.blocks.map(blockKey)).toEqual(all.blocks.map(blockKey));
  });
});
