import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Code, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { afterEach, describe, expect, it } from 'vitest';
import {
  badgeKey,
  badgeTexts,
  badgeView,
  blockLocale,
  blockWithVerification,
  shortDocker,
} from '../../src/expressive-code/verification-badge.ts';
import { hideSetupBlocks } from '../../src/remark/hide-setup-blocks.ts';
import { verificationStatus, type BadgeData } from '../../src/remark/verification-status.ts';
import { extractPage, mergeSnapshot, stepsOf, type Report } from '../../verify/src/index.ts';

// The site finds each block's last verification in the snapshot by the block's identity (content
// digest and order among identical blocks), which the remark pass puts on the block and
// Expressive Code's block factory reads from it: the identity the harness recorded.

const page = `---\ntitle: T\ndescription: D\n---\n\nIntro.\n\n\`\`\`console\n$ echo hi\nhi\n\`\`\`\n\n\`\`\`console\n$ true\n\`\`\`\n\n\`\`\`console\n$ true\n\`\`\`\n\n\`\`\`php\n<?php\n\`\`\`\n`;

/** A snapshot made by the harness's own merge from a report of `source`'s blocks. */
function snapshotOf(file: string, source: string, statuses: Report['blocks'][number]['status'][]) {
  return mergeSnapshot(null, reportOf(file, source, statuses), {
    wholeFiles: new Set([file]),
    pageImages: new Map([[file, ['busybox:latest']]]),
    exists: () => true,
  });
}

/** A run's report of `source`'s blocks with the given statuses. */
function reportOf(file: string, source: string, statuses: Report['blocks'][number]['status'][]): Report {
  const blocks = extractPage(file, source).blocks.map((b, i) => ({
    file,
    line: b.line,
    digest: b.digest,
    occurrence: b.occurrence,
    lang: b.lang,
    kind: b.kind,
    title: b.title,
    status: statuses[i]!,
    cause: b.kind === 'invalid' ? null : (b.skip ?? (statuses[i] === 'failed' ? { kind: 'output-differs' as const } : null)),
    notes: [],
    durationMs: 1,
    steps: stepsOf(b).map((s) => ({
      line: s.line,
      promptKind: s.promptKind,
      command: s.command,
      ran: s.command,
      expected: s.expected?.lines.join('\n') ?? null,
      actual: '',
      exitCode: 0,
      durationMs: 1,
      status: statuses[i]!,
      cause: null,
      notes: [],
      diff: null,
      proof: s.expected ? ('output' as const) : ('exit-status' as const),
    })),
    proof: stepsOf(b).some((s) => s.expected) ? ('output' as const) : ('exit-status' as const),
    usedBy: null,
    reused: false,
    verifiedAt: '2026-11-23T06:10:00.000Z',
  }));
  const report: Report = {
    schemaVersion: 4,
    run: {
      startedAt: '2026-11-23T06:00:00.000Z',
      finishedAt: '2026-11-23T06:10:00.000Z',
      durationMs: 1,
      mode: 'verify',
      argv: [],
      engine: null,
      client: null,
      images: [{ ref: 'busybox:latest', source: 'stand-in', how: 'x', id: null }],
      fatal: null,
      readerEngine: { docker: '28.5.2+dfsg4', buildx: '0.29.1', compose: '2.40.3', suite: 'forky' },
    },
    summary: { passed: 0, failed: 0, skipped: 0, error: 0, total: 0 },
    blocks,
  };
  return report;
}

const saved = process.env.VERIFY_SNAPSHOT;
afterEach(() => {
  process.env.VERIFY_SNAPSHOT = saved;
});

/**
 * Each visible block as Expressive Code creates it (the remark passes, then its block factory),
 * in page order, or in `order` (indices into the visible blocks) to show nothing depends on it.
 */
function blocks(rel: string, source: string, root: string, order?: number[]) {
  const body = source.slice(source.indexOf('Intro.'));
  const tree = fromMarkdown(body) as Root;
  const file = { path: path.join(root, rel), data: {} };
  verificationStatus()()(tree, file);
  hideSetupBlocks()()(tree);
  const codes = tree.children.filter((n): n is Code => n.type === 'code');
  return (order ?? codes.map((_, i) => i)).map((i) => {
    const c = codes[i]!;
    // As rehype-expressive-code hands a block over: the text with a final newline and tabs
    // expanded, the meta as mdast-util-to-hast copied it from the node.
    const input = { code: `${c.value.replace(/\t/g, '  ')}\n`, language: c.lang ?? '', meta: c.meta ?? '' };
    return blockWithVerification({ input, file }, root);
  });
}

/** Each block's badge data as the badge plugin gets it. */
function badges(rel: string, source: string, root: string): (BadgeData | undefined)[] {
  return blocks(rel, source, root).map((b) => b.props.verification);
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
    expect(b.map((x) => [x?.status, x?.proof])).toEqual([
      ['passed', 'output'],
      ['passed', 'exit-status'],
      ['failed', 'exit-status'],
      ['skipped', 'none'],
    ]);
    expect(b[0]).toMatchObject({
      verifiedAt: '2026-11-23T06:10:00.000Z',
      docker: '28.5.2+dfsg4',
      standIns: ['busybox:latest'],
      cause: null,
      notes: [],
    });
    // Why, as the harness recorded it: data, which the badge words in the page's language.
    expect(b[2]).toMatchObject({ cause: { kind: 'output-differs' }, notes: [] });
    expect(b[3]).toMatchObject({ cause: { kind: 'display', annotated: false, lang: 'php', looksLike: null }, notes: [] });
    expect(badgeKey(b[3]!)).toBe('display');
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
    expect(
      badges('content/en/p.md', page, root)
        .slice(1, 3)
        .map((x) => x?.status),
    ).toEqual(['passed', 'failed']);
  });

  it('finds each block by the id it carries, not by its text or its place: blocks that differ only in whitespace keep their own', () => {
    const spaced = `---\ntitle: T\n---\n\nIntro.\n\n\`\`\`console\n$ echo a b\n\`\`\`\n\n\`\`\`console verify-setup\n$ echo a  b\n\`\`\`\n\n\`\`\`console\n$ echo a  b\n\`\`\`\n\n\`\`\`console\n$ echo a\tb\n\`\`\`\n`;
    const root = project(spaced, ['passed', 'passed', 'failed', 'skipped']);
    // The setup block is not rendered; Expressive Code creates the others in any order.
    const made = blocks('content/en/p.md', spaced, root, [2, 1, 0]);
    expect(made.map((b) => [b.code.trimEnd(), b.props.verification?.status])).toEqual([
      ['$ echo a  b', 'skipped'],
      ['$ echo a  b', 'failed'],
      ['$ echo a b', 'passed'],
    ]);
    // The id is taken off again: every plugin reads the meta as its author wrote it.
    expect(made.map((b) => b.meta)).toEqual(['', '', '']);
    expect(blocks('content/en/p.md', page.replace('```php', '```php title="index.php" {1}'), root).at(-1)!.meta).toBe(
      'title="index.php" {1}',
    );
  });

  it('gives no verification to a block that carries no id (not from a page of the course)', () => {
    const root = project(page, ['passed', 'passed', 'failed', 'skipped']);
    const made = blockWithVerification(
      { input: { code: '$ true\n', language: 'console', meta: '' }, file: { path: path.join(root, 'content/en/p.md') } },
      root,
    );
    expect(made.props.verification).toBeUndefined();
  });

  it('says "unverified" when there is no snapshot', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'curso-site-'));
    process.env.VERIFY_SNAPSHOT = path.join(root, 'missing.json');
    expect(badges('content/p.md', page, root).map((x) => x?.status)[0]).toBe('unverified');
    expect(blockLocale({ file: { path: path.join(root, 'content/p.md') } }, root)).toBe('es');
  });

  it('never calls a written file or a command without documented output "verified"', () => {
    expect(badgeKey({ status: 'passed', proof: 'output', cause: null })).toBe('output');
    expect(badgeKey({ status: 'passed', proof: 'exit-status', cause: null })).toBe('exitStatus');
    expect(badgeKey({ status: 'passed', proof: 'used', cause: { kind: 'checked-by', line: 9, command: 'docker build .' } })).toBe('used');
    expect(badgeKey({ status: 'passed', proof: 'written', cause: { kind: 'written-only', path: '/x', why: 'unused', line: null } })).toBe(
      'written',
    );
    expect(badgeKey({ status: 'passed', proof: 'none', cause: null })).toBe('unchecked');
    expect(
      badgeKey({
        status: 'failed',
        proof: 'used',
        cause: { kind: 'use-failed', line: 9, command: 'docker build .', judged: 'failed', at: null },
      }),
    ).toBe('failed');
    expect(badgeKey({ status: 'skipped', proof: 'none', cause: { kind: 'display', annotated: false, lang: 'php', looksLike: null } })).toBe(
      'display',
    );
    expect(badgeKey({ status: 'skipped', proof: 'none', cause: { kind: 'shown-output', annotated: false } })).toBe('shownOutput');
    expect(badgeKey({ status: 'skipped', proof: 'none', cause: { kind: 'author-skip', text: 'streams forever' } })).toBe('skipped');
    // A snapshot of the schema before causes has none: a skip is then only a skip.
    expect(badgeKey({ status: 'skipped', proof: 'none', cause: null })).toBe('skipped');
    expect(shortDocker('28.5.2+dfsg4')).toBe('28.5');
  });

  it("says why in the page's language: the tooltip of a failure, the text of an author's skip", () => {
    const base: BadgeData = {
      status: 'failed',
      proof: 'output',
      verifiedAt: '2026-11-23T06:10:00.000Z',
      cause: { kind: 'output-differs' },
      notes: [{ kind: 'lab-limits', oomKills: 2, forkRefusals: 0, memoryGiB: 6, pids: 4096, since: null }],
      lastAttempt: null,
      docker: '28.5.2+dfsg4',
      standIns: [],
      file: 'content/p.md',
      digest: 'd',
      occurrence: 0,
    };
    expect(badgeView(base, 'en').title).toBe(
      "The output differs from the documented output; 2 processes were killed at the lab's 6 GiB memory limit",
    );
    expect(badgeView(base, 'es').title).toBe(
      'La salida no coincide con la documentada; el kernel mató 2 procesos al llegar el laboratorio a su límite de memoria (6 GiB)',
    );
    const skipped: BadgeData = {
      ...base,
      status: 'skipped',
      proof: 'none',
      cause: { kind: 'author-skip', text: 'emite eventos sin fin' },
      notes: [],
    };
    expect(badgeView(skipped, 'es')).toMatchObject({ key: 'skipped', text: '○ No se ejecuta: emite eventos sin fin', title: '' });
    expect(badgeView({ ...base, status: 'passed', cause: null, notes: [] }, 'en').title).toBe('');
  });

  it('records a run that could not verify a block again beside its last verdict, which stands', () => {
    const file = 'content/en/p.md';
    const first = snapshotOf(file, page, ['passed', 'passed', 'passed', 'skipped']);
    const later = reportOf(file, page, ['error', 'passed', 'passed', 'skipped']);
    const fault = { kind: 'infrastructure' as const, fault: 'network' as const, evidence: 'dial tcp: i/o timeout' };
    later.blocks[0] = { ...later.blocks[0]!, cause: fault, verifiedAt: '2026-12-01T03:00:00.000Z' };
    const merged = mergeSnapshot(first, later, { wholeFiles: new Set([file]), pageImages: new Map([[file, []]]), exists: () => true });
    const [was, now] = [first.blocks[0]!, merged.blocks.find((b) => b.line === first.blocks[0]!.line)!];
    expect(now).toEqual({ ...was, lastAttempt: { verifiedAt: '2026-12-01T03:00:00.000Z', cause: fault } });
    // The next run that verifies it again replaces the entry: the mark goes.
    const again = mergeSnapshot(merged, reportOf(file, page, ['passed', 'passed', 'passed', 'skipped']), {
      wholeFiles: new Set([file]),
      pageImages: new Map([[file, []]]),
      exists: () => true,
    });
    expect(again.blocks.find((b) => b.line === was.line)!.lastAttempt).toBeUndefined();
  });

  it('keeps the last verdict when the latest run could not verify again, and says when and why', () => {
    const held: BadgeData = {
      status: 'passed',
      proof: 'output',
      verifiedAt: '2026-11-23T06:10:00.000Z',
      cause: null,
      notes: [],
      lastAttempt: {
        verifiedAt: '2026-12-01T03:00:00.000Z',
        cause: { kind: 'infrastructure', fault: 'rate-limit', evidence: 'toomanyrequests' },
      },
      docker: '28.5.2+dfsg4',
      standIns: [],
      file: 'content/p.md',
      digest: 'd',
      occurrence: 0,
    };
    expect(badgeView(held, 'es')).toEqual({
      key: 'output',
      text: '✓ Verificado el 23 nov 2026 · Docker 28.5 · no se pudo volver a verificar el 1 dic 2026',
      title: 'No es culpa de la página: el registro de imágenes rechazó la descarga o aplicó su límite de descargas',
    });
    expect(badgeView(held, 'en')).toMatchObject({
      text: '✓ Verified on Nov 23, 2026 · Docker 28.5 · could not be re-verified on Dec 1, 2026',
      title: 'Not the page: the image registry refused or rate-limited the download',
    });
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
