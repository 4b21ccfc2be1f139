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

// `<tag attr="…" attr='…' attr=bare attr>`: quoted values may hold `>`, which ends no tag.
const TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?|\s*\/)*)\s*>/y;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
// Elements whose content is raw text: their `<a …>` look-alikes are not links.
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'template']);

/** Finds `<a href>`, `<img src>` and every `id` in an HTML document. */
export function scanHtml(html: string): ScannedPage {
  const links: FoundLink[] = [];
  const ids = new Set<string>();
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(html);
    if (!m) {
      i = lt + 1;
      continue;
    }
    i = TAG.lastIndex;
    const name = m[1]!.toLowerCase();
    const attrs = parseAttributes(m[2] ?? '');
    const id = attrs.get('id');
    if (id) ids.add(id);
    if (name === 'a' && attrs.get('name')) ids.add(attrs.get('name')!); // a legacy fragment target
    if (name === 'a' && attrs.has('href')) links.push({ tag: 'a', url: attrs.get('href')! });
    if (name === 'img' && attrs.has('src')) links.push({ tag: 'img', url: attrs.get('src')! });
    if (RAW_TEXT.has(name)) {
      const close = new RegExp(`</${name}[\\s>/]`, 'gi');
      close.lastIndex = i;
      i = close.exec(html)?.index ?? html.length;
    }
  }
  return { links, ids };
}

function parseAttributes(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of source.matchAll(ATTR)) {
    const name = m[1]!.toLowerCase();
    if (attrs.has(name)) continue; // the first one wins, as in browsers
    attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

/** The URL path a built file is served at: `index.html` → `/`, `red/index.html` → `/red/`. */
export function urlPathOf(file: string): string {
  const path = '/' + file.replace(/\\/g, '/').replace(/^\/+/, '');
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
  const candidates = path.endsWith('/') ? [path + 'index.html'] : [path, path + '/index.html', path + '.html'];
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
