// Reads the course's Markdown pages (content/ in Spanish, content/en/ in English) for the
// content rules and the site tests: frontmatter, headings, code blocks, images, links.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Code, Heading, Nodes, Root } from 'mdast';
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
  /** Top-level scalar fields of the frontmatter (what the rules check). */
  frontmatter: Record<string, string>;
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
 * Splits off the `---` frontmatter. Only top-level `key: value` scalars are read (plain or
 * quoted); nested maps such as `hero:` are skipped. The body keeps its line numbers.
 */
export function splitFrontmatter(source: string): { data: Record<string, string>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(source);
  if (!match) return { data: {}, body: source };
  const data: Record<string, string> = {};
  for (const line of match[1]!.split(/\r?\n/)) {
    const field = /^([A-Za-z_][\w-]*):(?:[ \t]+(.*?))?[ \t]*$/.exec(line);
    if (!field) continue;
    data[field[1]!] = unquote(field[2] ?? '');
  }
  const lines = match[0].split('\n').length - 1;
  return { data, body: '\n'.repeat(lines) + source.slice(match[0].length) };
}

function unquote(value: string): string {
  if (/^".*"$/.test(value)) return JSON.parse(value) as string;
  if (/^'.*'$/.test(value)) return value.slice(1, -1).replace(/''/g, "'");
  return value.replace(/\s+#.*$/, '');
}

function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child, visit);
}

function collect<T extends Nodes>(tree: Root, test: (node: Nodes) => node is T): T[] {
  const found: T[] = [];
  walk(tree, (node) => {
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

/** Markdown images and raw `<img>` tags. */
export function images(tree: Root): ImageRef[] {
  const found: ImageRef[] = [];
  walk(tree, (node) => {
    if (node.type === 'image') found.push({ url: node.url, alt: node.alt ?? '', line: node.position?.start.line });
    if (node.type === 'html') {
      for (const tag of node.value.matchAll(/<img\b[^>]*>/gi)) {
        const src = /\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag[0]);
        const alt = /\salt\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag[0]);
        found.push({ url: src?.[1] ?? src?.[2] ?? '', alt: alt?.[1] ?? alt?.[2] ?? '', line: node.position?.start.line });
      }
    }
  });
  return found;
}

export interface LinkRef {
  url: string;
  line: number | undefined;
}

export function links(tree: Root): LinkRef[] {
  const found: LinkRef[] = [];
  walk(tree, (node) => {
    if (node.type === 'link') found.push({ url: node.url, line: node.position?.start.line });
  });
  return found;
}
