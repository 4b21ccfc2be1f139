// Prints what each built page makes the browser load: JS (module scripts and what they import
// statically, plus inline scripts) and CSS (stylesheets plus inline styles), raw and gzipped.
// "lazy JS" is what those scripts load later with import() (Starlight loads the search UI when
// the browser is idle, so every page gets it shortly after load; Pagefind's index is not counted).
//
//   node scripts/page-weight.ts [dist]      (default: dist)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';

const dist = resolve(process.argv[2] ?? 'dist');

interface Weight {
  page: string;
  jsFiles: number;
  js: number;
  jsGz: number;
  inlineJs: number;
  lazyJs: number;
  css: number;
  cssGz: number;
  inlineCss: number;
}

const cache = new Map<string, Buffer>();
function read(sitePath: string): Buffer {
  let buf = cache.get(sitePath);
  if (!buf) {
    buf = readFileSync(join(dist, sitePath));
    cache.set(sitePath, buf);
  }
  return buf;
}

const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'`]([^"'`]+)["'`]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'`]([^"'`]+)["'`]\s*\)/g;

function resolveImport(specifier: string, from: string): string | null {
  if (/^[a-z]+:|^\/\//i.test(specifier)) return null;
  if (specifier.startsWith('/')) return specifier;
  if (specifier.startsWith('.')) return posix.join(posix.dirname(from), specifier);
  return null; // bare specifiers cannot appear in a browser bundle
}

/** The module and everything it imports statically (or also dynamically, with `lazy`). */
function moduleGraph(entries: string[], lazy: boolean): Set<string> {
  const seen = new Set<string>();
  const stack = [...entries];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (seen.has(entry)) continue;
    seen.add(entry);
    let code: string;
    try {
      code = read(entry).toString('utf8');
    } catch {
      continue;
    }
    for (const pattern of lazy ? [STATIC_IMPORT, DYNAMIC_IMPORT] : [STATIC_IMPORT]) {
      for (const m of code.matchAll(pattern)) {
        const target = resolveImport(m[1]!, entry);
        if (target?.endsWith('.js')) stack.push(target);
      }
    }
  }
  return seen;
}

/** A string attribute as hast reads it (`rel` and `class` are token lists: joined back). */
function attr(el: Element, name: string): string | undefined {
  const v = el.properties[name];
  if (v === undefined || v === null || v === false) return undefined;
  return Array.isArray(v) ? v.join(' ') : String(v);
}

/** The raw text of a `<script>` or `<style>` (HTML does not decode entities there). */
function text(el: Element): string {
  return el.children.map((c) => (c.type === 'text' ? c.value : '')).join('');
}

function measure(file: string): Weight {
  const sitePath = `/${relative(dist, file).split(sep).join('/')}`;
  const tree = fromHtml(readFileSync(file, 'utf8'));
  const scripts: string[] = [];
  const inlineModules: string[] = [];
  const styles: string[] = [];
  let inlineJs = 0;
  let inlineCss = 0;
  visit(tree, 'element', (el) => {
    if (el.tagName === 'script') {
      const type = (attr(el, 'type') ?? '').toLowerCase();
      if (type !== '' && type !== 'module' && !type.includes('javascript')) return; // JSON and the like
      const src = attr(el, 'src');
      if (src) {
        const target = resolveImport(src, sitePath);
        if (target) scripts.push(target);
      } else {
        const code = text(el);
        inlineJs += Buffer.byteLength(code);
        if (type === 'module') inlineModules.push(code);
      }
    } else if (el.tagName === 'link') {
      const rel = (attr(el, 'rel') ?? '').toLowerCase().split(/\s+/);
      const href = attr(el, 'href');
      if (rel.includes('stylesheet') && href) {
        const target = resolveImport(href, sitePath);
        if (target) styles.push(target);
      }
    } else if (el.tagName === 'style') {
      inlineCss += Buffer.byteLength(text(el));
    }
  });
  // Inline modules may import chunks too.
  for (const code of inlineModules) {
    for (const m of code.matchAll(STATIC_IMPORT)) {
      const target = resolveImport(m[1]!, sitePath);
      if (target) scripts.push(target);
    }
  }
  const eager = moduleGraph(scripts, false);
  const lazyEntries: string[] = [...eager];
  for (const code of inlineModules) {
    for (const m of code.matchAll(DYNAMIC_IMPORT)) {
      const target = resolveImport(m[1]!, sitePath);
      if (target) lazyEntries.push(target);
    }
  }
  const all = moduleGraph(lazyEntries, true);
  const lazy = [...all].filter((f) => !eager.has(f));

  const size = (files: Iterable<string>) => [...files].reduce((n, f) => n + (exists(f) ? read(f).length : 0), 0);
  const gz = (files: Iterable<string>) => [...files].reduce((n, f) => n + (exists(f) ? gzipSync(read(f)).length : 0), 0);
  return {
    page: sitePath.replace(/index\.html$/, ''),
    jsFiles: eager.size,
    js: size(eager),
    jsGz: gz(eager),
    inlineJs,
    lazyJs: size(lazy),
    css: size(new Set(styles)),
    cssGz: gz(new Set(styles)),
    inlineCss,
  };
}

function exists(sitePath: string): boolean {
  try {
    return statSync(join(dist, sitePath)).isFile();
  } catch {
    return false;
  }
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const kb = (n: number) => (n / 1024).toFixed(1);
const rows = htmlFiles(dist).map(measure);
const header = ['page', 'JS files', 'JS kB', 'JS gz kB', 'inline JS kB', 'lazy JS kB', 'CSS kB', 'CSS gz kB', 'inline CSS kB', 'JS+CSS kB'];
const table = rows.map((r) => [
  r.page,
  String(r.jsFiles),
  kb(r.js),
  kb(r.jsGz),
  kb(r.inlineJs),
  kb(r.lazyJs),
  kb(r.css),
  kb(r.cssGz),
  kb(r.inlineCss),
  kb(r.js + r.inlineJs + r.css + r.inlineCss),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`Page weight of ${relative(process.cwd(), dist) || dist} (CSS includes the print stylesheet)\n`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));

const locales = {
  es: rows.filter((r) => !r.page.startsWith('/en/') && r.page !== '/404.html'),
  en: rows.filter((r) => r.page.startsWith('/en/')),
};
console.log('');
for (const [locale, list] of Object.entries(locales)) {
  if (list.length === 0) continue;
  const avg = (pick: (r: Weight) => number) => kb(list.reduce((n, r) => n + pick(r), 0) / list.length);
  const max = list.reduce((a, b) => (b.js + b.inlineJs + b.css + b.inlineCss > a.js + a.inlineJs + a.css + a.inlineCss ? b : a));
  console.log(
    `${locale}: ${list.length} pages; mean JS ${avg((r) => r.js)} kB (${avg((r) => r.jsGz)} kB gz) + inline ${avg((r) => r.inlineJs)} kB, ` +
      `lazy ${avg((r) => r.lazyJs)} kB; mean CSS ${avg((r) => r.css)} kB (${avg((r) => r.cssGz)} kB gz) + inline ${avg((r) => r.inlineCss)} kB; ` +
      `heaviest ${max.page}`,
  );
}
