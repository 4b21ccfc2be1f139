// The status pages (/estado/, /en/status/): every block of the course with its last verification,
// counts that add up to the committed snapshot (computed here straight from
// content/verification.json and the pages' Markdown, not with the site's code), links both ways
// between a block's badge and its row, and the whole page without JavaScript.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fromHtml } from 'hast-util-from-html';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { blockIds, type Status } from '../../verify/src/index.ts';
import { codeBlocks, loadCoursePages, visibleCodeBlocks, ROOT, type CoursePage, type Locale } from '../lib/course.ts';
import { CHROMIUM, openSite } from './browser.ts';
import type { Site } from './browser.ts';

const STATUS: Record<Locale, string> = { es: '/estado/', en: '/en/status/' };
const CATEGORIES = ['verified', 'notChecked', 'failed', 'error', 'notRun', 'unverified'] as const;
type Category = (typeof CATEGORIES)[number];
type Counts = Record<Category | 'total', number>;

interface Entry {
  file: string;
  digest: string;
  occurrence: number;
  status: Status;
  proof: string;
  docker: string | null;
  engines?: Record<string, { docker: string; status: Entry['status'] }>;
  path?: { status: Status };
}

const snapshotFile = join(ROOT, 'content', 'verification.json');
const entries: Entry[] = existsSync(snapshotFile) ? (JSON.parse(readFileSync(snapshotFile, 'utf8')) as { blocks: Entry[] }).blocks : [];
const pages = loadCoursePages();

/** What a block's badge says, grouped as the status page counts it. */
function categoryOf(e: Entry | undefined): Category {
  if (!e) return 'unverified';
  if (e.status === 'passed') return ['output', 'exit-status', 'used'].includes(e.proof) ? 'verified' : 'notChecked';
  return e.status === 'skipped' ? 'notRun' : e.status;
}

interface ExpectedRow {
  id: string;
  category: Category;
  /** Where its link goes: the block's anchor, or the lesson itself for a hidden setup block. */
  href: string;
}

const slugOf = (page: CoursePage) => page.slug.replace(/[^A-Za-z0-9_-]+/g, '-');

/** Every block of `locale`'s pages, joined with its snapshot entry as the harness records blocks. */
function expected(locale: Locale) {
  const byKey = new Map(entries.map((e) => [`${e.file}\n${e.digest}\n${e.occurrence}`, e]));
  const matched = new Set<string>();
  const lessons = new Map<string, { rows: ExpectedRow[]; counts: Counts }>();
  for (const page of pages.filter((p) => p.locale === locale)) {
    const visible = new Set(visibleCodeBlocks(page.tree));
    const ids = blockIds(page.tree);
    const rows: ExpectedRow[] = [];
    for (const code of codeBlocks(page.tree)) {
      const { digest, occurrence } = ids.get(code)!;
      const key = `${page.file}\n${digest}\n${occurrence}`;
      if (byKey.has(key)) matched.add(key);
      const tail = `${slugOf(page)}-${digest}-${occurrence}`;
      rows.push({
        id: `b-${tail}`,
        category: categoryOf(byKey.get(key)),
        href: visible.has(code) ? `${page.urlPath}#v-${tail}` : page.urlPath,
      });
    }
    if (rows.length > 0) lessons.set(page.file, { rows, counts: count(rows) });
  }
  const stale = entries.filter(
    (e) => (e.file.startsWith('content/en/') ? 'en' : 'es') === locale && !matched.has(`${e.file}\n${e.digest}\n${e.occurrence}`),
  );
  return { lessons, counts: count([...lessons.values()].flatMap((l) => l.rows)), stale };
}

function count(rows: readonly { category: Category }[]): Counts {
  const counts = Object.fromEntries([...CATEGORIES, 'total'].map((c) => [c, 0])) as Counts;
  for (const row of rows) {
    counts[row.category] += 1;
    counts.total += 1;
  }
  return counts;
}

/** The built HTML of a site path, parsed. */
const built = new Map<string, Root>();
function html(path: string): Root {
  let tree = built.get(path);
  if (!tree) {
    tree = fromHtml(readFileSync(join(inject('siteDist'), path, 'index.html'), 'utf8'));
    built.set(path, tree);
  }
  return tree;
}

function elements(tree: Root, test: (el: Element) => boolean): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (el: Element) => {
    if (test(el)) found.push(el);
  });
  return found;
}

const ids = (tree: Root) => new Set(elements(tree, (el) => typeof el.properties.id === 'string').map((el) => el.properties.id as string));
const classes = (el: Element) => (Array.isArray(el.properties.className) ? el.properties.className : []);

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

describe.each([['es'], ['en']] as const)('status page (%s)', (locale) => {
  const path = STATUS[locale];
  const want = expected(locale);

  it('renders in its language, marked current in the sidebar, with every lesson in sidebar order', async () => {
    const { page, response } = await site.open(path);
    try {
      expect(response?.status(), `GET ${path}`).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      expect((await page.locator('h1').allTextContents()).map((t) => t.trim())).toEqual([
        locale === 'es' ? 'Estado de los ejemplos' : 'Examples status',
      ]);
      expect(await page.locator('nav.sidebar a[aria-current="page"]').getAttribute('href'), 'current page in the sidebar').toBe(path);
      const sidebar = await page.locator('nav.sidebar a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      const shown = await page
        .locator('table.curso-status-blocks')
        .evaluateAll((tables) => tables.map((t) => t.getAttribute('data-lesson') ?? ''));
      expect(shown.sort(), `lessons on ${path}`).toEqual([...want.lessons.keys()].sort());
      const urlOf = (file: string) => pages.find((p) => p.file === file)!.urlPath;
      const rank = (file: string) => sidebar.indexOf(urlOf(file));
      const inPage = await page
        .locator('table.curso-status-blocks')
        .evaluateAll((tables) => tables.map((t) => t.getAttribute('data-lesson') ?? ''));
      expect(inPage, `lessons on ${path} in sidebar order`).toEqual([...inPage].sort((a, b) => rank(a) - rank(b)));
    } finally {
      await page.close();
    }
  });

  it('counts per lesson and for the whole course what the snapshot records', () => {
    const tree = html(path);
    const counts = (row: Element) =>
      Object.fromEntries(
        elements(row as unknown as Root, (el) => el.tagName === 'td' && typeof el.properties.dataCategory === 'string').map((td) => [
          td.properties.dataCategory,
          Number(textOf(td)),
        ]),
      );
    const rows = elements(tree, (el) => el.tagName === 'tr' && typeof el.properties.dataLesson === 'string');
    const perLesson = Object.fromEntries(
      rows.filter((r) => r.properties.dataLesson !== 'course').map((r) => [r.properties.dataLesson, counts(r)]),
    );
    expect(perLesson).toEqual(Object.fromEntries([...want.lessons].map(([file, l]) => [file, l.counts])));
    const course = rows.find((r) => r.properties.dataLesson === 'course');
    expect(course && counts(course), `whole course on ${path}`).toEqual(want.counts);
    // Every entry of the snapshot for this locale is a row, or is reported as no longer matching.
    const ofLocale = entries.filter((e) => (e.file.startsWith('content/en/') ? 'en' : 'es') === locale).length;
    expect(want.counts.total - want.counts.unverified + want.stale.length, 'snapshot entries of the locale').toBe(ofLocale);
    const stale = elements(tree, (el) => el.properties.dataStale !== undefined);
    expect(
      stale.map((el) => Number(el.properties.dataStale)),
      `entries matching no block, on ${path}`,
    ).toEqual(want.stale.length > 0 ? [want.stale.length] : []);
  });

  it('shows per lesson the Docker versions the snapshot records for it, and no other', () => {
    const tree = html(path);
    const rows = elements(
      tree,
      (el) => el.tagName === 'tr' && typeof el.properties.dataLesson === 'string' && el.properties.dataLesson !== 'course',
    );
    expect(rows.length).toBe(want.lessons.size);
    for (const row of rows) {
      const file = row.properties.dataLesson as string;
      const results = entries
        .filter((e) => e.file === file && !want.stale.includes(e))
        .flatMap((e) => [
          ...(e.docker ? [{ docker: e.docker, status: e.status }] : []),
          ...Object.entries(e.engines ?? {})
            .filter(([major]) => !e.docker?.startsWith(`${major}.`))
            .map(([, r]) => r),
        ]);
      const held = new Map<string, boolean>();
      for (const r of results) held.set(r.docker, (held.get(r.docker) ?? true) && r.status !== 'failed' && r.status !== 'error');
      const shown = elements(row as unknown as Root, (el) => typeof el.properties.dataDocker === 'string').map((el) => [
        el.properties.dataDocker,
        el.properties.dataHeld,
      ]);
      expect(Object.fromEntries(shown), `Docker versions of ${file} on ${path}`).toEqual(
        Object.fromEntries([...held].map(([d, h]) => [d, String(h)])),
      );
    }
  });

  it("shows per lesson whether it held on the reader's path, as the snapshot records the path", () => {
    const tree = html(path);
    const rows = elements(
      tree,
      (el) => el.tagName === 'tr' && typeof el.properties.dataLesson === 'string' && el.properties.dataLesson !== 'course',
    );
    for (const row of rows) {
      const file = row.properties.dataLesson as string;
      const ran = entries.filter((e) => e.file === file && !want.stale.includes(e) && e.path);
      const cell = elements(row as unknown as Root, (el) => el.tagName === 'td' && 'dataPath' in el.properties);
      const held = ran.length === 0 ? undefined : String(ran.every((e) => e.path!.status !== 'failed' && e.path!.status !== 'error'));
      expect(
        cell.map((td) => td.properties.dataPath),
        `path of ${file} on ${path}`,
      ).toEqual(held === undefined ? [] : [held]);
      if (held === 'true') expect(textOf(cell[0]!), `path of ${file}`).toContain(`${ran.length}`);
    }
  });

  it('has a row for every block, in page order, with its status, linking to the block in its lesson', () => {
    const tree = html(path);
    const tables = elements(tree, (el) => el.tagName === 'table' && typeof el.properties.dataLesson === 'string');
    const got = Object.fromEntries(
      tables.map((table) => [
        table.properties.dataLesson as string,
        elements(table as unknown as Root, (el) => el.tagName === 'tr' && typeof el.properties.id === 'string').map((row) => ({
          id: row.properties.id as string,
          category: row.properties.dataCategory as Category,
          href: (elements(row as unknown as Root, (el) => el.tagName === 'a')[0]?.properties.href as string | undefined) ?? '',
        })),
      ]),
    );
    expect(got).toEqual(Object.fromEntries([...want.lessons].map(([file, l]) => [file, l.rows])));
    const all = Object.values(got).flat();
    expect(new Set(all.map((r) => r.id)).size, 'row ids are unique').toBe(all.length);
    for (const row of all) {
      const [target, hash] = row.href.split('#');
      if (!hash) continue;
      expect(ids(html(target!)).has(hash), `${row.id} → ${row.href}`).toBe(true);
    }
  });

  it('is what every badge of the lessons links to, a row that exists and says what the badge says', () => {
    const rowIds = ids(html(path));
    // Row id → the text of its status cell (the third).
    const said = new Map(
      elements(html(path), (el) => el.tagName === 'tr' && String(el.properties.id ?? '').startsWith('b-')).map((row) => [
        row.properties.id as string,
        textOf(row.children.filter((c): c is Element => c.type === 'element' && c.tagName === 'td')[2]!).trim(),
      ]),
    );
    for (const page of pages.filter((p) => p.locale === locale)) {
      const tree = html(page.urlPath);
      const badges = elements(tree, (el) => el.tagName === 'p' && classes(el).includes('curso-verify'));
      expect(badges.length, `badges on ${page.urlPath}`).toBe(visibleCodeBlocks(page.tree).length);
      for (const badge of badges) {
        const href = elements(badge as unknown as Root, (el) => el.tagName === 'a').map((a) => a.properties.href as string);
        expect(href.length, `a badge on ${page.urlPath} is a link`).toBe(1);
        const [target, hash] = href[0]!.split('#');
        expect(target, `badge link on ${page.urlPath}`).toBe(path);
        expect(rowIds.has(hash!), `${page.urlPath}: badge → ${href[0]}`).toBe(true);
        expect(textOf(badge).trim(), `${page.urlPath}: badge and row ${hash}`).toBe(said.get(hash!));
      }
    }
  });
});

function textOf(node: Element): string {
  return node.children.map((c) => (c.type === 'text' ? c.value : c.type === 'element' ? textOf(c) : '')).join('');
}

describe('language picker on the status pages', () => {
  it('leads from each status page to the other one', async () => {
    for (const [from, to] of [
      ['/estado/', '/en/status/'],
      ['/en/status/', '/estado/'],
    ]) {
      const { page } = await site.open(from);
      try {
        const picker = page.locator('starlight-lang-select select').filter({ visible: true }).first();
        await picker.selectOption({ label: from === '/estado/' ? 'English' : 'Español' });
        await page.waitForURL(site.url + to);
      } finally {
        await page.close();
      }
    }
  });

  it('names the other page in the head, and the sidebars of the lessons link to their own', async () => {
    const alternates = (path: string) =>
      elements(html(path), (el) => el.tagName === 'link' && String(el.properties.rel) === 'alternate').map(
        (el) => new URL(el.properties.href as string).pathname,
      );
    expect(alternates('/estado/').sort()).toEqual(['/en/status/', '/estado/', '/estado/']);
    expect(alternates('/en/status/').sort()).toEqual(['/en/status/', '/estado/', '/estado/']);
    // The home pages have no sidebar (splash template).
    for (const page of pages.filter((p) => p.slug !== 'index')) {
      const links = elements(html(page.urlPath), (el) => el.tagName === 'a' && /\/(estado|status)\/$/.test(String(el.properties.href)));
      expect([...new Set(links.map((a) => a.properties.href))], `status page links on ${page.urlPath}`).toEqual([STATUS[page.locale]]);
    }
  });
});

describe('without JavaScript', () => {
  let browser: Browser;
  let context: BrowserContext;
  const blocked: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    await context.route('**/*', (route) => {
      const target = route.request().url();
      if (target.startsWith(`${site.url}/`)) return route.continue();
      blocked.push(target);
      return route.abort('blockedbyclient');
    });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  /** The element the URL's fragment points at, as the browser resolved it (`:target`). */
  const target = (page: Page) => page.locator(':target').evaluateAll((els) => els.map((el) => el.id));

  it.each([['es'], ['en']] as const)(
    '%s: shows every row and counts, and leads from a row to its block and from a badge to its row',
    async (locale) => {
      const page = await context.newPage();
      try {
        const path = STATUS[locale];
        const want = expected(locale);
        await page.goto(site.url + path);
        // No script ran: Starlight's theme script would have set the theme from the (light) system.
        expect(await page.getAttribute('html', 'data-theme'), 'theme left as served').toBe('dark');
        const rows = page.locator('table.curso-status-blocks tbody tr');
        expect(await rows.count()).toBe(want.counts.total);
        expect(await page.locator('tfoot td[data-category="total"]').textContent()).toBe(String(want.counts.total));
        // Row → block.
        const link = page.locator('table.curso-status-blocks tbody tr:not([data-hidden]) a').first();
        const href = (await link.getAttribute('href'))!;
        await link.click();
        await page.waitForURL(site.url + href);
        expect(await target(page), `target of ${href}`).toEqual([href.split('#')[1]]);
        expect(await page.locator(':target').isVisible()).toBe(true);
        // Badge → row.
        const badge = page.locator(':target .curso-verify a');
        const back = (await badge.getAttribute('href'))!;
        await badge.click();
        await page.waitForURL(site.url + back);
        expect(await target(page), `target of ${back}`).toEqual([back.split('#')[1]]);
        expect(await page.locator(':target').isVisible()).toBe(true);
      } finally {
        await page.close();
      }
    },
  );

  it('reaches the other status page through the language picker address', async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${site.url}/en/estado/`);
      await page.waitForURL(`${site.url}/en/status/`);
    } finally {
      await page.close();
    }
  });

  it('asked for nothing off this machine', () => {
    expect(blocked).toEqual([]);
  });
});
