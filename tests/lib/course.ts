// Reads the course's Markdown pages (content/ in Spanish, content/en/ in English) for the
// content rules and the site tests: frontmatter, headings, code blocks, images, links.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromHtml } from 'hast-util-from-html';
import { load as loadYaml } from 'js-yaml';
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Code, Heading, Nodes, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { isSetup } from '../../src/remark/hide-setup-blocks.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CONTENT_DIR = join(ROOT, 'content');
export const PUBLIC_DIR = join(ROOT, 'public');

export type Locale = 'es' | 'en';
export const LOCALES: readonly Locale[] = ['es', 'en'];

export interface CoursePage {
  locale: Locale;
  /** The page's id shared by both locales: `red`, `index`. */
  slug: string;
  /** Path relative to the repository, e.g. `content/en/red.md`. */
  file: string;
  /** Where the page is served: `/red/`, `/en/red/`, `/`, `/en/`. */
  urlPath: string;
  /** The frontmatter as YAML reads it (what the rules check). */
  frontmatter: Record<string, unknown>;
  /** The file as written. */
  source: string;
  tree: Root;
}

/** Every published course page (files starting with `_` are drafts, as for the content loader). */
export function loadCoursePages(): CoursePage[] {
  const pages: CoursePage[] = [];
  for (const entry of readdirSync(CONTENT_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.mdx?$/.test(entry.name) || entry.name.startsWith('_')) continue;
    const rel = relative(CONTENT_DIR, join(entry.parentPath, entry.name)).split(sep).join('/');
    const locale: Locale = rel.startsWith('en/') ? 'en' : 'es';
    const slug = (locale === 'en' ? rel.slice(3) : rel).replace(/\.mdx?$/, '');
    const prefix = locale === 'en' ? '/en/' : '/';
    const urlPath = slug === 'index' ? prefix : `${prefix}${slug.replace(/\/index$/, '')}/`;
    const source = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    const { data, body } = splitFrontmatter(source);
    pages.push({ locale, slug, file: `content/${rel}`, urlPath, frontmatter: data, source, tree: fromMarkdown(body) });
  }
  return pages.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Splits off the `---` frontmatter and reads it as YAML, as Astro does (js-yaml). The body keeps
 * its line numbers: the frontmatter is replaced by as many empty lines.
 */
export function splitFrontmatter(source: string): { data: Record<string, unknown>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(source);
  if (!match) return { data: {}, body: source };
  const data = loadYaml(match[1]!) ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error(`the frontmatter is not a YAML mapping: ${match[1]}`);
  const lines = match[0].split('\n').length - 1;
  return { data: data as Record<string, unknown>, body: '\n'.repeat(lines) + source.slice(match[0].length) };
}

function collect<T extends Nodes>(tree: Root, test: (node: Nodes) => node is T): T[] {
  const found: T[] = [];
  visit(tree, (node) => {
    if (test(node)) found.push(node);
  });
  return found;
}

export function textOf(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return node.children.map((child) => textOf(child)).join('');
  return '';
}

export function headings(tree: Root): Heading[] {
  return collect(tree, (node): node is Heading => node.type === 'heading');
}

/** Every code block, in order, including those hidden from readers (`verify-setup`). */
export function codeBlocks(tree: Root): Code[] {
  return collect(tree, (node): node is Code => node.type === 'code');
}

/** The code blocks a reader sees (what Expressive Code renders). */
export function visibleCodeBlocks(tree: Root): Code[] {
  return codeBlocks(tree).filter((block) => !isSetup(block.meta));
}

export interface ImageRef {
  url: string;
  alt: string;
  line: number | undefined;
}

/** Markdown images and raw `<img>` tags (read as HTML, each at its own line). */
export function images(tree: Root): ImageRef[] {
  const found: ImageRef[] = [];
  visit(tree, (node) => {
    if (node.type === 'image') found.push({ url: node.url, alt: node.alt ?? '', line: node.position?.start.line });
    if (node.type !== 'html') return;
    const first = node.position?.start.line;
    visit(fromHtml(node.value, { fragment: true }), 'element', (el) => {
      if (el.tagName !== 'img') return;
      const { src, alt } = el.properties;
      const at = el.position?.start.line;
      found.push({
        url: typeof src === 'string' ? src : '',
        alt: typeof alt === 'string' ? alt : '',
        line: first === undefined || at === undefined ? first : first + at - 1,
      });
    });
  });
  return found;
}

export interface LinkRef {
  url: string;
  line: number | undefined;
}

export function links(tree: Root): LinkRef[] {
  const found: LinkRef[] = [];
  visit(tree, 'link', (node) => {
    found.push({ url: node.url, line: node.position?.start.line });
  });
  return found;
}
