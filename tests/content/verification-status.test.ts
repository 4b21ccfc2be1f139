import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Code, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { afterEach, describe, expect, it } from 'vitest';
import { badgeKey, badgeTexts, blockLocale, blockWithVerification, shortDocker } from '../../src/expressive-code/verification-badge.ts';
import { verificationStatus, type BadgeData } from '../../src/remark/verification-status.ts';
import { extractPage, mergeSnapshot, stepsOf, type Report } from '../../verify/src/index.ts';

// The site finds each block's last verification in the snapshot by content digest and order
// among identical blocks, exactly as the harness recorded it.

const page = `---\ntitle: T\ndescription: D\n---\n\nIntro.\n\n\`\`\`console\n$ echo hi\nhi\n\`\`\`\n\n\`\`\`console\n$ true\n\`\`\`\n\n\`\`\`console\n$ true\n\`\`\`\n\n\`\`\`php\n<?php\n\`\`\`\n`;

/** A snapshot made by the harness's own merge from a report of `source`'s blocks. */
function snapshotOf(file: string, source: string, statuses: Report['blocks'][number]['status'][]) {
  const blocks = extractPage(file, source).blocks.map((b, i) => ({
    file, line: b.line, digest: b.digest, lang: b.lang, kind: b.kind, title: b.title, status: statuses[i]!,
    reason: b.kind === 'invalid' ? null : (b.skipReason ?? null), durationMs: 1,
    steps: stepsOf(b).map((s) => ({ line: s.line, promptKind: s.promptKind, command: s.command, ran: s.command, expected: s.expected?.lines.join('\n') ?? null, actual: '', exitCode: 0, durationMs: 1, status: statuses[i]!, reason: null, diff: null, proof: s.expected ? ('output' as const) : ('exit-status' as const) })),
    proof: stepsOf(b).some((s) => s.expected) ? ('output' as const) : ('exit-status' as const),
    usedBy: null,
    reused: false,
    verifiedAt: '2026-11-23T06:10:00.000Z',
  }));
  const report: Report = {
    schemaVersion: 2,
    run: {
      startedAt: '2026-11-23T06:00:00.000Z', finishedAt: '2026-11-23T06:10:00.000Z', durationMs: 1, mode: 'verify', argv: [],
      engine: null, client: null, images: [{ ref: 'busybox:latest', source: 'stand-in', how: 'x', id: null }], fatal: null,
      readerEngine: { docker: '28.5.2+dfsg4', buildx: '0.29.1', compose: '2.40.3', suite: 'forky' },
    },
    summary: { passed: 0, failed: 0, skipped: 0, error: 0, total: 0 },
    blocks,
  };
  return mergeSnapshot(null, report, { wholeFiles: new Set([file]), pageImages: new Map([[file, ['busybox:latest']]]), exists: () => true });
}

const saved = process.env.VERIFY_SNAPSHOT;
afterEach(() => {
  process.env.VERIFY_SNAPSHOT = saved;
});

/** Each block's badge data as the badge plugin gets it: the remark pass, then Expressive Code's block factory. */
function badges(rel: string, source: string, root: string): (BadgeData | undefined)[] {
  const body = source.slice(source.indexOf('Intro.'));
  const tree = fromMarkdown(body) as Root;
  const file = { path: path.join(root, rel), data: {} };
  verificationStatus({ root })()(tree, file);
  return tree.children
    .filter((n): n is Code => n.type === 'code')
    // As Expressive Code hands a block over: the text with a final newline and tabs expanded.
    .map((c) => blockWithVerification({ input: { code: `${c.value.replace(/\t/g, '  ')}\n`, language: c.lang ?? '', meta: c.meta ?? '' }, file }).props.verification);
}

function project(snapshotSource: string, statuses: Report['blocks'][number]['status'][]) {
  const root = mkdtempSync(path.join(tmpdir(), 'curso-site-'));
  mkdirSync(path.join(root, 'content/en'), { recursive: true });
  writeFileSync(path.join(root, 'snapshot.json'), JSON.stringify(snapshotOf('content/en/p.md', snapshotSource, statuses)));
  process.env.VERIFY_SNAPSHOT = path.join(root, 'snapshot.json');
  return root;
}

describe('verification status on the site', () => {
  it('gives each block its status, proof, date, reader engine and stand-ins from the snapshot', () => {
    const root = project(page, ['passed', 'passed', 'failed', 'skipped']);
    const b = badges('content/en/p.md', page, root);
    expect(b.map((x) => [x?.status, x?.proof])).toEqual([['passed', 'output'], ['passed', 'exit-status'], ['failed', 'exit-status'], ['skipped', 'none']]);
    expect(b[0]).toMatchObject({ verifiedAt: '2026-11-23T06:10:00.000Z', docker: '28.5.2+dfsg4', standIns: ['busybox:latest'] });
    // The badge is in the page's language: Expressive Code gives each block its page's locale.
    expect(blockLocale({ file: { path: path.join(root, 'content/en/p.md') } }, root)).toBe('en');
  });

  it('keeps a block verified when prose around it changes, and not when the block changes', () => {
    const root = project(page, ['passed', 'passed', 'passed', 'skipped']);
    const edited = page.replace('Intro.', 'Intro.\n\nA new paragraph.\n').replace('$ echo hi\nhi', '$ echo hello\nhello');
    expect(badges('content/en/p.md', edited, root).map((x) => x?.status)).toEqual(['unverified', 'passed', 'passed', 'skipped']);
  });

  it('tells identical blocks apart by their order', () => {
    const root = project(page, ['passed', 'passed', 'failed', 'skipped']);
    expect(badges('content/en/p.md', page, root).slice(1, 3).map((x) => x?.status)).toEqual(['passed', 'failed']);
  });

  it('says "unverified" when there is no snapshot', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'curso-site-'));
    process.env.VERIFY_SNAPSHOT = path.join(root, 'missing.json');
    expect(badges('content/p.md', page, root).map((x) => x?.status)[0]).toBe('unverified');
    expect(blockLocale({ file: { path: path.join(root, 'content/p.md') } }, root)).toBe('es');
  });

  it('never calls a written file or a command without documented output "verified"', () => {
    expect(badgeKey({ status: 'passed', proof: 'output', reason: '' })).toBe('output');
    expect(badgeKey({ status: 'passed', proof: 'exit-status', reason: '' })).toBe('exitStatus');
    expect(badgeKey({ status: 'passed', proof: 'used', reason: '' })).toBe('used');
    expect(badgeKey({ status: 'passed', proof: 'written', reason: '' })).toBe('written');
    expect(badgeKey({ status: 'passed', proof: 'none', reason: '' })).toBe('unchecked');
    expect(badgeKey({ status: 'failed', proof: 'used', reason: '' })).toBe('failed');
    expect(badgeKey({ status: 'skipped', proof: 'none', reason: 'display only: a `php` block' })).toBe('display');
    expect(badgeKey({ status: 'skipped', proof: 'none', reason: 'output shown without its command: a table' })).toBe('shownOutput');
    expect(shortDocker('28.5.2+dfsg4')).toBe('28.5');
  });

  it('says "not checked", never "verified", for a file no step uses, in both locales', () => {
    for (const lang of ['en', 'es']) {
      const t = badgeTexts.get(lang);
      expect(t.written).toMatch(lang === 'en' ? /^○ Not checked/ : /^○ No comprobado/);
      expect(t.written).not.toMatch(/verif/i);
      expect(t.unchecked).not.toMatch(/verif/i);
      expect(t.used).toMatch(lang === 'en' ? /Verified .* by the step that uses it/ : /Verificado .* por el paso que lo usa/);
    }
  });
});
