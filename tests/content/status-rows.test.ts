import { describe, expect, it } from 'vitest';
import type { SnapshotBlock } from '../../verify/src/index.ts';
import { blockLabel, type PageBlock } from '../../src/remark/verification-status.ts';
import { blockAnchor, blockHref, fileSlug, lessonUrl, localeOfFile, rowHref, rowId } from '../../src/verification/anchors.ts';
import { courseStatus, inSidebarOrder, sidebarSlugs } from '../../src/verification/status-rows.ts';

// The status page's rows and counts: one row per block of the pages of a locale, counted under
// what its badge says; snapshot entries no block matches any more are set apart.

const at = '2026-11-30T07:44:12.933Z';

function entry(file: string, digest: string, occurrence: number, over: Partial<SnapshotBlock> = {}): SnapshotBlock {
  return {
    file,
    line: 1,
    digest,
    occurrence,
    status: 'passed',
    cause: null,
    notes: [],
    proof: 'output',
    verifiedAt: at,
    docker: '28.5.2+dfsg4',
    standIns: [],
    ...over,
  };
}

const block = (digest: string, occurrence = 0, over: Partial<PageBlock> = {}): PageBlock => ({
  digest,
  occurrence,
  line: 10,
  label: '$ docker ps',
  hidden: false,
  ...over,
});

describe('anchors', () => {
  it('puts pages, rows and blocks where both sides look for them', () => {
    expect(localeOfFile('content/en/red.md')).toBe('en');
    expect(localeOfFile('content/red.md')).toBe('es');
    expect(lessonUrl('content/red.md')).toBe('/red/');
    expect(lessonUrl('content/en/red.md')).toBe('/en/red/');
    expect(lessonUrl('content/index.mdx')).toBe('/');
    expect(lessonUrl('content/en/index.mdx')).toBe('/en/');
    expect(fileSlug('content/en/a/b.md')).toBe('a-b');
    const es = { file: 'content/red.md', digest: '0123456789abcdef', occurrence: 1 };
    const en = { ...es, file: 'content/en/red.md' };
    expect(rowId(es)).toBe('b-red-0123456789abcdef-1');
    expect(blockAnchor(es)).toBe('v-red-0123456789abcdef-1');
    expect(rowHref(es)).toBe('/estado/#b-red-0123456789abcdef-1');
    expect(rowHref(en)).toBe('/en/status/#b-red-0123456789abcdef-1');
    expect(blockHref(en)).toBe('/en/red/#v-red-0123456789abcdef-1');
  });

  it('tells apart the same block in two lessons, and identical blocks of one lesson', () => {
    const ids = [
      rowId({ file: 'content/red.md', digest: 'd', occurrence: 0 }),
      rowId({ file: 'content/red.md', digest: 'd', occurrence: 1 }),
      rowId({ file: 'content/volumenes.md', digest: 'd', occurrence: 0 }),
    ];
    expect(new Set(ids).size).toBe(3);
  });
});

describe('courseStatus', () => {
  const lessons = [
    { file: 'content/red.md', title: 'Red', blocks: [block('a'), block('a', 1), block('w'), block('s', 0, { hidden: true })] },
    { file: 'content/volumenes.md', title: 'Volúmenes', blocks: [block('f'), block('k'), block('e'), block('n')] },
    { file: 'content/introduccion.md', title: 'Introducción', blocks: [] },
    { file: 'content/en/red.md', title: 'Networking', blocks: [block('a')] },
  ];
  const snapshot = [
    entry('content/red.md', 'a', 0),
    entry('content/red.md', 'a', 1, { proof: 'exit-status', standIns: ['busybox:latest'] }),
    entry('content/red.md', 'w', 0, { proof: 'written' }),
    entry('content/red.md', 's', 0, { proof: 'exit-status' }),
    entry('content/volumenes.md', 'f', 0, { status: 'failed', proof: 'used' }),
    entry('content/volumenes.md', 'k', 0, {
      status: 'skipped',
      proof: 'none',
      cause: { kind: 'display', annotated: false, lang: 'php', looksLike: null },
    }),
    entry('content/volumenes.md', 'e', 0, { status: 'error', proof: 'none' }),
    // Edited since: no block has this digest any more.
    entry('content/volumenes.md', 'old', 0),
    entry('content/en/red.md', 'a', 0),
  ];

  it('gives every block of the locale its row, in page order, with its badge and both links', () => {
    const status = courseStatus('es', lessons, snapshot);
    expect(status.lessons.map((l) => l.file)).toEqual(['content/red.md', 'content/volumenes.md']);
    const red = status.lessons[0]!;
    expect(red).toMatchObject({ title: 'Red', url: '/red/', sectionId: 'leccion-red' });
    expect(red.rows.map((r) => [r.id, r.href, r.key, r.category])).toEqual([
      ['b-red-a-0', '/red/#v-red-a-0', 'output', 'verified'],
      ['b-red-a-1', '/red/#v-red-a-1', 'exitStatus', 'verified'],
      ['b-red-w-0', '/red/#v-red-w-0', 'written', 'notChecked'],
      // A hidden setup block has no place in its lesson to link to.
      ['b-red-s-0', '/red/', 'exitStatus', 'verified'],
    ]);
    // The page's locale is the status page's (the badge texts take it from there).
    expect(status.lang).toBe('es');
    expect(red.rows[1]!.badge).toMatchObject({ docker: '28.5.2+dfsg4', verifiedAt: at, standIns: ['busybox:latest'] });
    expect(status.lessons[1]!.rows.map((r) => r.category)).toEqual(['failed', 'notRun', 'error', 'unverified']);
    // A skip's cause decides its badge: a snippet shown, not run.
    expect(status.lessons[1]!.rows.map((r) => r.key)).toEqual(['failed', 'display', 'error', 'unverified']);
    expect(status.lessons[1]!.rows[1]!.badge.cause).toEqual({ kind: 'display', annotated: false, lang: 'php', looksLike: null });
  });

  it('counts per lesson and for the course, and sets apart the entries no block matches', () => {
    const status = courseStatus('es', lessons, snapshot);
    expect(status.lessons.map((l) => l.counts)).toEqual([
      { verified: 3, notChecked: 1, failed: 0, error: 0, notRun: 0, unverified: 0, total: 4 },
      { verified: 0, notChecked: 0, failed: 1, error: 1, notRun: 1, unverified: 1, total: 4 },
    ]);
    expect(status.counts).toEqual({ verified: 3, notChecked: 1, failed: 1, error: 1, notRun: 1, unverified: 1, total: 8 });
    expect(status.stale.map((b) => b.digest)).toEqual(['old']);
    const en = courseStatus('en', lessons, snapshot);
    expect([en.counts.total, en.counts.verified, en.stale.length]).toEqual([1, 1, 0]);
    expect(en.lessons[0]).toMatchObject({ url: '/en/red/', sectionId: 'lesson-red' });
  });

  it('lists per lesson only the engines that really ran it, and whether it held on each', () => {
    const r26 = (status: SnapshotBlock['status']) => ({
      '26': { docker: '26.1.5+dfsg1', status, proof: 'output' as const, verifiedAt: at },
    });
    const matrix = snapshot.map((e) =>
      e.file === 'content/red.md' ? { ...e, engines: r26('passed') } : e.digest === 'f' ? { ...e, engines: r26('passed') } : e,
    );
    const status = courseStatus('es', lessons, matrix);
    expect(status.lessons[0]!.engines).toEqual([
      { docker: '28.5.2+dfsg4', held: true, blocks: 4 },
      { docker: '26.1.5+dfsg1', held: true, blocks: 4 },
    ]);
    // Volúmenes failed on 28 (and errored) and has one result on 26, which held.
    expect(status.lessons[1]!.engines).toEqual([
      { docker: '28.5.2+dfsg4', held: false, blocks: 3 },
      { docker: '26.1.5+dfsg1', held: true, blocks: 1 },
    ]);
    // The plain snapshot (only the default engine): no 26 is invented.
    expect(courseStatus('es', lessons, snapshot).lessons[0]!.engines.map((e) => e.docker)).toEqual(['28.5.2+dfsg4']);
  });

  it('says every block is not verified yet when there is no snapshot', () => {
    const status = courseStatus('es', lessons, []);
    expect(status.counts).toEqual({ verified: 0, notChecked: 0, failed: 0, error: 0, notRun: 0, unverified: 8, total: 8 });
    expect(status.lessons[0]!.rows[0]!.badge).toMatchObject({ status: 'unverified', verifiedAt: '', docker: '' });
    expect(status.lessons[0]!.engines).toEqual([]);
  });
});

describe('lesson order', () => {
  it('follows the sidebar config, then file names', () => {
    const slugs = sidebarSlugs([
      { items: [{ slug: 'introduccion' }, { slug: 'red' }] },
      { link: '/estado/' },
      { items: [{ items: [{ slug: 'volumenes' }] }, { autogenerate: { directory: 'x' } }] },
    ]);
    expect(slugs).toEqual(['introduccion', 'red', 'volumenes']);
    const pages = ['content/en/zeta.md', 'content/en/volumenes.md', 'content/en/alfa.md', 'content/en/red.md'].map((file) => ({ file }));
    expect(inSidebarOrder(pages, slugs).map((p) => p.file)).toEqual([
      'content/en/red.md',
      'content/en/volumenes.md',
      'content/en/alfa.md',
      'content/en/zeta.md',
    ]);
  });
});

describe('blockLabel', () => {
  it('names a block by its title, else by its first line, shortened', () => {
    expect(blockLabel({ meta: 'title="compose.yaml"', value: 'services:\n' })).toBe('compose.yaml');
    expect(blockLabel({ meta: null, value: '\n$ docker run --rm busybox echo hola\nhola' })).toBe('$ docker run --rm busybox echo hola');
    const long = blockLabel({ meta: null, value: `$ docker run ${'-e A=1 '.repeat(20)}busybox` });
    expect(long.length).toBe(72);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe("the reader's path on the status page", () => {
  it("shows each block's path result and whether the lesson held in order", () => {
    const path = (status: 'passed' | 'failed') => ({ status, cause: null, notes: [], verifiedAt: at, docker: '28.5.2+dfsg4' });
    const lessons = [
      { file: 'content/a.md', title: 'A', blocks: [block('d1'), block('d2')] },
      { file: 'content/b.md', title: 'B', blocks: [block('d3')] },
      { file: 'content/c.md', title: 'C', blocks: [block('d4')] },
    ];
    const snapshot = [
      entry('content/a.md', 'd1', 0, { path: path('passed') }),
      entry('content/a.md', 'd2', 0, { path: path('failed') }),
      entry('content/b.md', 'd3', 0, { path: path('passed') }),
      entry('content/c.md', 'd4', 0),
    ];
    const status = courseStatus('es', lessons, snapshot);
    expect(status.lessons.map((l) => l.rows.map((r) => r.path))).toEqual([['passed', 'failed'], ['passed'], [null]]);
    expect(status.lessons.map((l) => l.path)).toEqual([
      { held: false, blocks: 2, notHeld: 1 },
      { held: true, blocks: 1, notHeld: 0 },
      null,
    ]);
  });
});
