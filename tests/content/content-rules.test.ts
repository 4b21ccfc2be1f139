// Rules every course page follows, checked on the Markdown sources (no build).
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Code, InlineCode } from 'mdast';
import { visit } from 'unist-util-visit';
import { codeBlocks, headings, images, links, loadCoursePages, PUBLIC_DIR, ROOT, textOf } from '../lib/course.ts';
import type { CoursePage } from '../lib/course.ts';

const pages = loadCoursePages();
const bySlug = (locale: string) => new Map(pages.filter((p) => p.locale === locale).map((p) => [p.slug, p]));
const es = bySlug('es');
const en = bySlug('en');
const twins = [...es.values()].filter((page) => en.has(page.slug)).map((page) => [page, en.get(page.slug)!] as const);

describe('course pages', () => {
  it('are found in both locales', () => {
    expect(es.size).toBeGreaterThan(0);
    expect(en.size).toBeGreaterThan(0);
  });

  it('every Spanish page has an English twin and vice versa (no fallback pages)', () => {
    const missingEn = [...es.keys()].filter((slug) => !en.has(slug)).map((slug) => `content/en/${slug}.md(x)`);
    const missingEs = [...en.keys()].filter((slug) => !es.has(slug)).map((slug) => `content/${slug}.md(x)`);
    expect([...missingEn, ...missingEs], 'pages without a twin').toEqual([]);
  });
});

const Frontmatter = z.looseObject({
  title: z.string().trim().min(1, 'title is empty'),
  description: z.string().trim().min(1, 'description is empty'),
});

describe.each(pages.map((page) => [page.file, page] as const))('%s', (_file, page) => {
  it('has a non-empty title and description in its frontmatter', () => {
    const result = Frontmatter.safeParse(page.frontmatter);
    const issues = result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([]);
  });

  it('has headings that never skip a level (the page title is the h1)', () => {
    const problems: string[] = [];
    let previous = 1;
    for (const heading of headings(page.tree)) {
      if (heading.depth === 1) problems.push(`line ${line(heading)}: a second h1 "${textOf(heading)}" (the title is the h1)`);
      else if (heading.depth > previous + 1) {
        problems.push(`line ${line(heading)}: h${heading.depth} "${textOf(heading)}" follows an h${previous}`);
      }
      previous = heading.depth;
    }
    expect(problems).toEqual([]);
  });

  it('does not open with a heading that repeats its title', () => {
    const words = (t: string) =>
      t
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z0-9 ]/g, '')
        .split(/\s+/)
        .filter(Boolean)
        .join(' ');
    const first = headings(page.tree)[0];
    // "Near-repeats" too: the first heading is the title, or the title is the heading plus a word or two.
    if (first)
      expect(
        words(String(page.frontmatter.title ?? '')).startsWith(words(textOf(first))),
        `line ${line(first)}: "${textOf(first)}" repeats the title`,
      ).toBe(false);
  });

  it('keeps runnable commands in blocks: no inline code in prose starts with a `$ ` prompt', () => {
    const problems: string[] = [];
    visit(page.tree, 'inlineCode', (node: InlineCode) => {
      if (/^\$ /.test(node.value)) problems.push(`line ${line(node)}: \`${node.value}\``);
    });
    expect(problems).toEqual([]);
  });

  it('shows every shell session (`console`) with at least one prompt line', () => {
    const problems = codeBlocks(page.tree)
      .filter((block) => block.lang === 'console' && !block.value.split('\n').some(isPromptLine))
      .map((block) => `line ${line(block)}: a console block with no \`$ \` or container prompt`);
    expect(problems).toEqual([]);
  });

  it('references only images that exist, each with alt text', () => {
    const problems: string[] = [];
    for (const image of images(page.tree)) {
      const where = `line ${image.line ?? '?'}: ${image.url}`;
      if (image.alt.trim() === '') problems.push(`${where} has no alt text`);
      const file = localImageFile(page, image.url);
      if (!file) problems.push(`${where} is not a file of this site (images are served from public/)`);
      else if (!existsSync(file) || !statSync(file).isFile())
        problems.push(`${where} does not exist (looked for ${file.slice(ROOT.length)})`);
    }
    expect(problems).toEqual([]);
  });

  it(`links to pages of its own locale (${page.locale})`, () => {
    const problems = links(page.tree)
      .filter((link) => link.url.startsWith('/') && !link.url.startsWith('//'))
      .filter((link) => (page.locale === 'en') !== /^\/en(\/|$|#)/.test(link.url))
      .map((link) => `line ${link.line ?? '?'}: ${link.url}`);
    expect(problems).toEqual([]);
  });
});

describe.each(twins.map(([esPage, enPage]) => [esPage.slug, esPage, enPage] as const))('twins %s', (_slug, esPage, enPage) => {
  it('have the same heading structure (levels, in order)', () => {
    const outline = (page: CoursePage) => headings(page.tree).map((h) => `h${h.depth}`);
    expect(outline(enPage), `${enPage.file} vs ${esPage.file}`).toEqual(outline(esPage));
  });

  it('have the same code blocks (count, order, language, meta, code except comment lines)', () => {
    const esBlocks = codeBlocks(esPage.tree);
    const enBlocks = codeBlocks(enPage.tree);
    const describeBlock = (page: CoursePage, block: Code) => `${page.file}:${line(block)} \`\`\`${block.lang ?? ''} ${block.meta ?? ''}`;
    expect(
      enBlocks.map((b) => `${b.lang ?? ''} ${b.meta ?? ''}`),
      `${enPage.file} vs ${esPage.file}: languages and meta`,
    ).toEqual(esBlocks.map((b) => `${b.lang ?? ''} ${b.meta ?? ''}`));
    esBlocks.forEach((esBlock, i) => {
      const enBlock = enBlocks[i]!;
      expect(withoutComments(enBlock), `${describeBlock(enPage, enBlock)} differs from ${describeBlock(esPage, esBlock)}`).toEqual(
        withoutComments(esBlock),
      );
    });
  });
});

function line(node: { position?: { start: { line: number } } }): number | string {
  return node.position?.start.line ?? '?';
}

// `$ cmd`, `bash-4.3$ cmd`, `user@host:~/dir$ cmd` on the host; `root@1dbc76e3acdb:/# cmd` in a container.
const HOST_PROMPT = /^(?:[A-Za-z][\w.]*-\d[\w.]*|[\w.-]+@[\w.-]+(?::[^\s$#]*)?)?\$(?: |$)/;
const CONTAINER_PROMPT = /^[a-z_][\w-]*@[\w.-]+:[^\s#]*#(?: |$)/;

function isPromptLine(text: string): boolean {
  return HOST_PROMPT.test(text) || CONTAINER_PROMPT.test(text);
}

// Whole-line comments, which translations may change: `#` in Dockerfiles, Python and ini
// files; `//`, `/* */` and the ` * ` lines of doc comments in PHP.
const COMMENT_LINE: Record<string, RegExp> = {
  dockerfile: /^\s*#/,
  python: /^\s*#/,
  ini: /^\s*#/,
  php: /^\s*(?:\/\/|\/\*|\*)/,
};

function withoutComments(block: Code): string[] {
  const comment = COMMENT_LINE[(block.lang ?? '').toLowerCase()];
  return block.value.split('\n').filter((text) => !comment?.test(text));
}

/** The file an image URL refers to, or null for an image from elsewhere. */
function localImageFile(page: CoursePage, url: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) return null;
  const path = decodeURIComponent(url.split(/[?#]/)[0]!);
  if (path.startsWith('/')) return join(PUBLIC_DIR, path);
  return join(dirname(join(ROOT, page.file)), path);
}
