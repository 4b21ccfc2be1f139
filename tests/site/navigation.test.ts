// What a reader uses to move around: language picker, search, theme, sidebar, table of
// contents and prev/next links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadCoursePages } from '../lib/course.ts';
import { openSite } from './browser.ts';
import type { Site } from './browser.ts';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

const LESSON = '/ciclo-de-vida/';

async function withPage<T>(path: string, run: (page: Page) => Promise<T>, theme?: 'light' | 'dark'): Promise<T> {
  const { page, response } = await site.open(path, { theme });
  try {
    expect(response?.status(), `GET ${path}`).toBe(200);
    return await run(page);
  } finally {
    await page.close();
  }
}

describe('language picker', () => {
  it('leads from a Spanish page to its English twin and back', async () => {
    await withPage(LESSON, async (page) => {
      const picker = page.locator('starlight-lang-select select').filter({ visible: true }).first();
      await picker.selectOption({ label: 'English' });
      await page.waitForURL(`${site.url}/en${LESSON}`);
      expect(await page.getAttribute('html', 'lang'), 'lang after switching to English').toBe('en');
      await page.locator('starlight-lang-select select').filter({ visible: true }).first().selectOption({ label: 'Español' });
      await page.waitForURL(`${site.url}${LESSON}`);
      expect(await page.getAttribute('html', 'lang'), 'lang after switching back to Spanish').toBe('es');
    });
  });

  // Every page, a few tabs at a time (the site project's maxConcurrency); concurrent tests
  // assert with their own `expect`.
  describe.concurrent.each(loadCoursePages().map((page) => [page.urlPath, page] as const))('on %s', (urlPath, page) => {
    it('offers the twin of the page in its options', async ({ expect }) => {
      const twin = page.locale === 'es' ? `/en${urlPath}` : urlPath.replace(/^\/en\//, '/');
      await withPage(urlPath, async (tab) => {
        const options = await tab
          .locator('starlight-lang-select select')
          .first()
          .locator('option')
          .evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value));
        expect(options, `language options on ${urlPath}`).toContain(twin);
      });
    });
  });
});

describe('search', () => {
  for (const [locale, path, query] of [
    ['es', '/', 'contenedor'],
    ['en', '/en/', 'container'],
  ] as const) {
    it(`finds "${query}" on the ${locale} site, linking to ${locale} pages`, async () => {
      await withPage(path, async (page) => {
        await page.locator('site-search button[data-open-modal]').filter({ visible: true }).first().click();
        const dialog = page.locator('site-search dialog');
        const input = dialog.locator('input');
        await input.waitFor({ state: 'visible', timeout: 15_000 });
        await input.fill(query);
        const results = dialog.locator('a.pagefind-ui__result-link');
        await results.first().waitFor({ state: 'visible', timeout: 15_000 });
        const hrefs = await results.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
        expect(hrefs.length, `results for "${query}"`).toBeGreaterThan(0);
        const wrong = hrefs.filter((href) => (locale === 'en') !== href.startsWith('/en/'));
        expect(wrong, `results for "${query}" outside the ${locale} site`).toEqual([]);
        for (const href of new Set(hrefs.map((h) => h.split('#')[0]!))) {
          expect((await fetch(site.url + href)).status, `search result ${href}`).toBe(200);
        }
      });
    });
  }
});

describe('theme', () => {
  it('has a theme picker that switches between light and dark', async () => {
    await withPage(LESSON, async (page) => {
      const picker = page.locator('starlight-theme-select select').filter({ visible: true }).first();
      await expect(picker.count()).resolves.toBe(1);
      for (const theme of ['light', 'dark'] as const) {
        await picker.selectOption(theme);
        expect(await page.getAttribute('html', 'data-theme'), `data-theme after choosing ${theme}`).toBe(theme);
        expect(await page.evaluate(() => localStorage.getItem('starlight-theme')), 'stored theme').toBe(theme);
      }
    });
  });

  it('applies the stored theme on load', async () => {
    for (const theme of ['light', 'dark'] as const) {
      await withPage(
        LESSON,
        async (page) => {
          expect(await page.getAttribute('html', 'data-theme'), `data-theme with ${theme} stored`).toBe(theme);
        },
        theme,
      );
    }
  });
});

describe.each([
  ['es', LESSON],
  ['en', `/en${LESSON}`],
] as const)('lesson page (%s)', (locale, path) => {
  const lessons = loadCoursePages().filter((p) => p.locale === locale && p.slug !== 'index');

  it('has a sidebar linking to every lesson of its locale and its status page, marking the current one', async () => {
    await withPage(path, async (page) => {
      const sidebar = page.locator('nav.sidebar');
      const hrefs = await sidebar.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      const status = locale === 'es' ? '/estado/' : '/en/status/';
      expect([...new Set(hrefs)].sort(), `sidebar links on ${path}`).toEqual([...lessons.map((l) => l.urlPath), status].sort());
      expect(await sidebar.locator('a[aria-current="page"]').getAttribute('href'), 'current page in the sidebar').toBe(path);
    });
  });

  it('has a table of contents linking to its headings', async () => {
    await withPage(path, async (page) => {
      const toc = page.locator('starlight-toc nav');
      const hrefs = await toc.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs.length, `links in the table of contents of ${path}`).toBeGreaterThan(1);
      for (const href of hrefs) {
        expect(await page.locator(`[id="${decodeURIComponent(href.slice(1))}"]`).count(), `TOC target ${href}`).toBe(1);
      }
    });
  });

  it('has previous and next links to lessons of its locale', async () => {
    await withPage(path, async (page) => {
      for (const rel of ['prev', 'next']) {
        const link = page.locator(`.pagination-links a[rel="${rel}"]`);
        expect(await link.count(), `${rel} link on ${path}`).toBe(1);
        const href = await link.getAttribute('href');
        expect(
          lessons.map((l) => l.urlPath),
          `${rel} link target on ${path}`,
        ).toContain(href);
      }
    });
  });
});

describe('network', () => {
  it('no page asked for anything off this machine', () => {
    expect(site.blocked).toEqual([]);
  });
});
