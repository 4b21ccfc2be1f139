import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';

// The pure half of the build-time link check: HTML → links and ids, and links + site → problems.
// No file system here, so it is unit-tested on strings (tests/content/links.test.ts); the Astro
// integration in check-internal-links.ts feeds it the files of the finished build.

export interface FoundLink {
  tag: 'a' | 'img';
  /** The attribute value as the browser sees it (entities decoded). */
  url: string;
}

export interface ScannedPage {
  links: FoundLink[];
  /** Every `id` attribute in the page (targets for `#hash` links). */
  ids: Set<string>;
}

export interface LinkProblem {
  /** The page holding the link, as a site path (e.g. `/red/index.html`). */
  file: string;
  tag: 'a' | 'img';
  url: string;
  reason: string;
}

/**
 * What exists in the output dir, every file named by its site path (`/red/index.html`,
 * `/diagrams/x.svg`): all files, and the ids of each HTML file.
 */
export interface BuiltSite {
  files: Set<string>;
  ids: Map<string, Set<string>>;
}

/** Finds `<a href>`, `<img src>` and every `id` in an HTML document (parsed as browsers do, by parse5). */
export function scanHtml(html: string): ScannedPage {
  const links: FoundLink[] = [];
  const ids = new Set<string>();
  visit(fromHtml(html), 'element', (node) => {
    const props = node.properties;
    if (typeof props.id === 'string' && props.id) ids.add(props.id);
    if (node.tagName === 'a' && typeof props.name === 'string' && props.name) ids.add(props.name); // legacy fragment target
    if (node.tagName === 'a' && typeof props.href === 'string') links.push({ tag: 'a', url: props.href });
    if (node.tagName === 'img' && typeof props.src === 'string') links.push({ tag: 'img', url: props.src });
  });
  return { links, ids };
}

/** The URL path a built file is served at: `index.html` → `/`, `red/index.html` → `/red/`. */
export function urlPathOf(file: string): string {
  const path = `/${file.replace(/\\/g, '/').replace(/^\/+/, '')}`;
  return path.endsWith('/index.html') ? path.slice(0, -'index.html'.length) : path;
}

/**
 * Whether a link points into this site, and where: returns the resolved URL, or null for links
 * that leave it (`https://…`, `http://localhost:1234` in course prose, `mailto:`, `//host/…`).
 */
export function resolveInternal(url: string, pagePath: string): URL | null {
  const trimmed = url.trim();
  if (trimmed === '') return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return null; // has a scheme: another origin or not HTTP
  if (trimmed.startsWith('//')) return null; // protocol-relative: another host
  const base = new URL(pagePath, 'http://site.invalid');
  const resolved = new URL(trimmed, base);
  return resolved.origin === base.origin ? resolved : null;
}

/** The built file a URL path is served from, trying what a static host tries; undefined if none. */
export function fileForPath(pathname: string, files: ReadonlySet<string>): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    path = pathname;
  }
  const candidates = path.endsWith('/') ? [`${path}index.html`] : [path, `${path}/index.html`, `${path}.html`];
  return candidates.find((candidate) => files.has(candidate));
}

/** Checks every internal link of every page (keyed by site path, `/red/index.html`) against what was built. */
export function findLinkProblems(pages: ReadonlyMap<string, ScannedPage>, site: BuiltSite): LinkProblem[] {
  const problems: LinkProblem[] = [];
  for (const [file, page] of pages) {
    const pagePath = urlPathOf(file);
    for (const link of page.links) {
      const target = resolveInternal(link.url, pagePath);
      if (!target) continue;
      const report = (reason: string) => problems.push({ file, tag: link.tag, url: link.url, reason });
      const targetFile = fileForPath(target.pathname, site.files);
      if (!targetFile) {
        report(`no page or file at ${decodeSafe(target.pathname)}`);
        continue;
      }
      const hash = decodeSafe(target.hash.slice(1));
      if (hash === '' || link.tag !== 'a') continue;
      const ids = site.ids.get(targetFile);
      if (ids && !ids.has(hash)) report(`${targetFile} has no element with id="${hash}"`);
    }
  }
  return problems;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function formatProblems(problems: readonly LinkProblem[]): string {
  return problems.map((p) => `  ${p.file}: <${p.tag}> ${JSON.stringify(p.url)} → ${p.reason}`).join('\n');
}
