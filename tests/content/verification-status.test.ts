import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Code, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyOffset, verificationStatus } from '../../src/remark/verification-status.ts';

// The site matches blocks to the verify report by file and fence line. Astro gives remark the
// page body without its frontmatter, so lines must be mapped back to the file's.

const page = `---\ntitle: T\ndescription: D\n---\n\nIntro.\n\n\`\`\`console\n$ echo hi\nhi\n\`\`\`\n\n\`\`\`php\n<?php\n\`\`\`\n`;

function report(blocks: { file: string; line: number; status: string; reason: string | null }[]) {
  return {
    schemaVersion: 1,
    run: {
      startedAt: '2026-11-23T06:00:00.000Z', finishedAt: '2026-11-23T06:10:00.000Z', durationMs: 1, mode: 'verify',
      argv: [], engine: null, client: null, images: [], fatal: null,
    },
    summary: { passed: 1, failed: 0, skipped: 1, error: 0, total: 2 },
    blocks: blocks.map((b) => ({ ...b, lang: 'console', kind: 'session', title: null, durationMs: 1, steps: [] })),
  };
}

const saved = process.env.VERIFY_REPORT;
afterEach(() => {
  process.env.VERIFY_REPORT = saved;
});

function run(rel: string, body: string, root: string): string[] {
  const tree = fromMarkdown(body) as Root;
  verificationStatus({ root })()(tree, { path: path.join(root, rel), value: body });
  return tree.children.filter((n): n is Code => n.type === 'code').map((c) => c.meta ?? '');
}

describe('verification status on the site', () => {
  it('maps remark lines back to file lines across stripped frontmatter', () => {
    const body = page.slice(page.indexOf('Intro.'));
    expect(bodyOffset(page, body)).toBe(5);
  });

  it('attaches each block its status, date and page language from the report', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'curso-site-'));
    mkdirSync(path.join(root, 'content/en'), { recursive: true });
    writeFileSync(path.join(root, 'content/en/p.md'), page);
    writeFileSync(
      path.join(root, 'report.json'),
      JSON.stringify(report([
        { file: 'content/en/p.md', line: 8, status: 'passed', reason: null },
        { file: 'content/en/p.md', line: 13, status: 'skipped', reason: 'display only: a `php` block' },
      ])),
    );
    process.env.VERIFY_REPORT = path.join(root, 'report.json');
    const metas = run('content/en/p.md', page.slice(page.indexOf('Intro.')), root);
    expect(metas[0]).toBe('curso-verified="passed|2026-11-23T06:10:00.000Z||en"');
    expect(metas[1]).toBe(`curso-verified="skipped|2026-11-23T06:10:00.000Z|${encodeURIComponent('display only: a `php` block')}|en"`);
  });

  it('says "unverified" when there is no report', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'curso-site-'));
    mkdirSync(path.join(root, 'content'), { recursive: true });
    writeFileSync(path.join(root, 'content/p.md'), page);
    process.env.VERIFY_REPORT = path.join(root, 'missing.json');
    expect(run('content/p.md', page.slice(page.indexOf('Intro.')), root)[0]).toBe('curso-verified="unverified|||es"');
  });
});
