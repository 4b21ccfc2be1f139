// Every course page, as built and served: status, language, title, code blocks; plus the 404
// page and the sitemap.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { badgeKey, shortDocker } from '../../src/expressive-code/verification-badge.ts';
import { blockIds, blockKey, readSnapshot } from '../../verify/src/index.ts';
import { codeBlocks, loadCoursePages, visibleCodeBlocks, ROOT, type CoursePage } from '../lib/course.ts';
import { openSite } from './browser.ts';
import type { Site } from './browser.ts';

const pages = loadCoursePages();
/** Built from src/pages, not content/: the status page of each locale (see status.test.ts). */
const STATUS_PAGES = ['/estado/', '/en/status/'];
/** What the language picker offers on a status page, redirecting to the other one. */
const STATUS_REDIRECTS = ['/en/estado/', '/status/'];
const snapshot = new Map((readSnapshot(join(ROOT, 'content', 'verification.json'))?.blocks ?? []).map((b) => [blockKey(b), b]));

/** What each visible block's badge must say, from the snapshot, found as the harness records blocks. */
function expectedBadges(page: CoursePage): { key: string; docker: string | null }[] {
  const ids = blockIds(page.tree);
  const visible = new Set(visibleCodeBlocks(page.tree));
  const out: { key: string; docker: string | null }[] = [];
  for (const code of codeBlocks(page.tree)) {
    if (!visible.has(code)) continue;
    const v = snapshot.get(blockKey({ file: page.file, ...ids.get(code)! }));
    const key = v ? badgeKey({ status: v.status, proof: v.proof, cause: v.cause }) : 'unverified';
    out.push({ key, docker: v && ['output', 'exitStatus', 'used', 'failed'].includes(key) ? v.docker : null });
  }
  return out;
}
/** Expressive Code's copy button, as Starlight's UI strings give it in each locale. */
const COPY_TITLE: Record<string, string> = { es: 'Copiar al portapapeles', en: 'Copy to clipboard' };
let site: Site;

beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

describe('built pages', () => {
  it('are exactly the course pages of both locales, the status pages and their redirects (plus 404.html)', () => {
    const dist = inject('siteDist');
    const built = readdirSync(dist, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.html'))
      .map((e) => `/${relative(dist, join(e.parentPath, e.name)).split(sep).join('/')}`)
      .filter((file) => file !== '/404.html')
      .map((file) => file.replace(/index\.html$/, ''))
      .sort();
    expect(built).toEqual([...pages.map((p) => p.urlPath), ...STATUS_PAGES, ...STATUS_REDIRECTS].sort());
  });
});

// One page per test, a few tabs at a time (the site project's maxConcurrency); concurrent tests
// assert with their own `expect`.
describe.concurrent.each(pages.map((page) => [page.urlPath, page] as const))('page %s', (urlPath, page) => {
  it(`renders with lang=${page.locale}, its frontmatter title as h1 and every code block of ${page.file}`, async ({ expect }) => {
    const { page: tab, response } = await site.open(urlPath);
    try {
      expect(response?.status(), `HTTP status of ${urlPath}`).toBe(200);
      expect(await tab.getAttribute('html', 'lang'), `<html lang> of ${urlPath}`).toBe(page.locale);
      const h1 = await tab.locator('h1').allTextContents();
      expect(
        h1.map((t) => t.trim()),
        `the h1 of ${urlPath} (frontmatter title of ${page.file})`,
      ).toEqual([page.frontmatter.title]);
      const rendered = await tab.locator('.sl-markdown-content .expressive-code').count();
      expect(rendered, `Expressive Code blocks on ${urlPath} vs code blocks in ${page.file}`).toBe(visibleCodeBlocks(page.tree).length);
      // Every example shows its last verification as the committed snapshot records it.
      const badges = tab.locator('.sl-markdown-content .expressive-code .curso-verify');
      expect(await badges.count(), `verification badges on ${urlPath}`).toBe(rendered);
      const expected = expectedBadges(page);
      expect(await badges.evaluateAll((ps) => ps.map((p) => p.getAttribute('data-status'))), `badge statuses on ${urlPath}`).toEqual(
        expected.map((e) => e.key),
      );
      // Asides (`:::note[Actualizado]`…) render as Starlight's asides, with their titles.
      const asides = [...page.source.matchAll(/^:::(note|tip|caution|danger)(?:\[([^\]\n]*)\])?/gm)];
      const titles = await tab.locator('.sl-markdown-content aside.starlight-aside .starlight-aside__title').allTextContents();
      expect(
        titles.map((t) => t.trim()),
        `asides on ${urlPath}`,
      ).toEqual(asides.map((m, i) => (m[2] === undefined ? titles[i]?.trim() : m[2].replace(/`([^`]*)`/g, '$1'))));
      // The code blocks' own controls speak the page's language too.
      const copyTitles = await tab
        .locator('.sl-markdown-content .expressive-code .copy button')
        .evaluateAll((bs) => bs.map((b) => b.getAttribute('title')));
      expect(new Set(copyTitles), `copy buttons on ${urlPath}`).toEqual(new Set(copyTitles.length ? [COPY_TITLE[page.locale]] : []));
      const texts = await badges.allTextContents();
      expected.forEach((e, i) => {
        if (e.docker)
          expect(texts[i], `badge ${i + 1} on ${urlPath} names the reader's Docker`).toContain(`Docker ${shortDocker(e.docker)}`);
      });
    } finally {
      await tab.close();
    }
  });
});

describe('not found', () => {
  it('serves the 404 page with status 404 for an unknown URL, in both locales', async () => {
    for (const path of ['/no-existe/', '/en/does-not-exist/']) {
      const { page: tab, response } = await site.open(path);
      try {
        expect(response?.status(), path).toBe(404);
        expect(await tab.locator('h1').first().textContent(), `404 page title at ${path}`).toMatch(/404/);
      } finally {
        await tab.close();
      }
    }
  });
});

describe('sitemap', () => {
  it('lists every page under the configured site URL', async () => {
    const origin = inject('siteOrigin');
    const index = await fetch(`${site.url}/sitemap-index.xml`);
    expect(index.status, 'GET /sitemap-index.xml').toBe(200);
    const sitemaps = locs(await index.text());
    expect(sitemaps.length, 'sitemaps listed in sitemap-index.xml').toBeGreaterThan(0);
    const urls: string[] = [];
    for (const sitemap of sitemaps) {
      expect(sitemap.startsWith(`${origin}/`), `${sitemap} uses the site URL ${origin}`).toBe(true);
      const res = await fetch(site.url + new URL(sitemap).pathname);
      expect(res.status, `GET ${sitemap}`).toBe(200);
      urls.push(...locs(await res.text()));
    }
    const wrong = urls.filter((url) => !url.startsWith(`${origin}/`));
    expect(wrong, `sitemap URLs not under ${origin}`).toEqual([]);
    expect(urls.map((url) => url.slice(origin.length)).sort()).toEqual([...pages.map((p) => p.urlPath), ...STATUS_PAGES].sort());
  });
});

/** The `<loc>` of every entry of a sitemap index (`<sitemap>`) or a sitemap (`<url>`). */
function locs(xml: string): string[] {
  const doc = new XMLParser({ isArray: (name) => name === 'sitemap' || name === 'url', parseTagValue: false }).parse(xml);
  const entries: { loc: string }[] = doc.sitemapindex?.sitemap ?? doc.urlset?.url ?? [];
  return entries.map((e) => e.loc.trim());
}

describe('test server', () => {
  it('serves pages, redirects folders and types Pagefind files as a static host does', async () => {
    const dist = inject('siteDist');
    const pf = readdirSync(join(dist, 'pagefind')).find((name) => /\.pf_meta$/.test(name));
    const checks: Array<[string, number, RegExp]> = [
      ['/', 200, /^text\/html/],
      ['/sitemap-index.xml', 200, /xml/],
      ['/pagefind/pagefind.js', 200, /^text\/javascript/],
      [`/pagefind/${pf}`, 200, /^application\/octet-stream$/],
    ];
    for (const [path, status, type] of checks) {
      const res = await fetch(site.url + path);
      expect(res.status, `GET ${path}`).toBe(status);
      expect(res.headers.get('content-type'), `content type of ${path}`).toMatch(type);
    }
    const folder = await fetch(`${site.url}/red`, { redirect: 'manual' });
    expect([folder.status, folder.headers.get('location')], 'GET /red').toEqual([301, '/red/']);
  });
});

describe('network', () => {
  it('no page asked for anything off this machine', () => {
    expect(site.blocked).toEqual([]);
  });
});
