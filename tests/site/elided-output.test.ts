// The harness's elisions (`[..]` within a line, a line `...`) are test syntax: no built page shows
// them raw in a code block's output. Each is a marker that says, in the page's language, that
// this part differs on every machine; the copy button still copies only the commands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { commandsToCopy, extractPage } from '../../verify/src/index.ts';
import { loadCoursePages, visibleCodeBlocks, type CoursePage } from '../lib/course.ts';
import { openSite } from './browser.ts';
import type { Site } from './browser.ts';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

const pages = loadCoursePages();
const EXPLAINED = {
  es: { varies: 'varía en cada máquina', lines: '… (más líneas que varían)', linesLabel: 'más líneas que varían en cada máquina' },
  en: { varies: 'differs on every machine', lines: '… (more lines that vary)', linesLabel: 'more lines that differ on every machine' },
} as const;

/**
 * For each visible code block of a page, in page order, the 0-based lines of its code the
 * harness reads as documented output (read from the whole page, as a run reads it).
 */
function outputLines(page: CoursePage): Set<number>[] {
  const byLine = new Map(extractPage(page.file, page.source).blocks.map((b) => [b.line, b]));
  return visibleCodeBlocks(page.tree).map((code) => {
    const fence = code.position!.start.line;
    const block = byLine.get(fence);
    const out = new Set<number>();
    if (block?.kind === 'session') {
      for (const step of block.steps) {
        const after = step.outcome.expect === 'interrupted' ? step.outcome.after : null;
        for (const range of [step.expected, after])
          if (range) for (let l = range.startLine; l <= range.endLine; l++) out.add(l - fence - 1);
      }
    } else if (block?.kind === 'display' && block.skip.kind === 'shown-output') {
      for (let i = 0; i < code.value.split('\n').length; i++) out.add(i);
    }
    return out;
  });
}

/** The visible text of every line of every code block of the page's content, as rendered. */
async function renderedLines(page: Page): Promise<string[][]> {
  return page
    .locator('.sl-markdown-content .expressive-code pre > code')
    .evaluateAll((codes) =>
      codes.map((code) => [...code.querySelectorAll(':scope > .ec-line')].map((line) => (line as HTMLElement).textContent)),
    );
}

async function withPage<T>(path: string, run: (page: Page) => Promise<T>): Promise<T> {
  const { page, response } = await site.open(path);
  try {
    expect(response?.status(), `GET ${path}`).toBe(200);
    return await run(page);
  } finally {
    await page.close();
  }
}

const isRaw = (text: string) => text.includes('[..]') || text.trim() === '...';

// Reading pages needs no focus nor clipboard: a few tabs at a time (the site project's
// maxConcurrency), each test asserting with its own `expect`. The marker tests below, which use
// the keyboard and the clipboard, run one at a time.
describe.concurrent.each(pages.map((page) => [page.urlPath, page] as const))('code blocks on %s', (urlPath, page) => {
  it(`show no raw \`[..]\` and no \`...\` line in their output (${page.file})`, async ({ expect }) => {
    const output = outputLines(page);
    const raw = await withPage(urlPath, renderedLines);
    expect(raw.length, `rendered blocks vs ${page.file}`).toBe(output.length);
    const shown: string[] = [];
    raw.forEach((lines, b) => {
      const code = visibleCodeBlocks(page.tree)[b]!;
      lines.forEach((text, i) => {
        if (output[b]!.has(i) && isRaw(text)) shown.push(`${page.file}:${code.position!.start.line + 1 + i}: ${text}`);
      });
    });
    expect(shown, `raw elisions shown on ${urlPath}`).toEqual([]);
  });
});

describe.concurrent.each(['/estado/', '/en/status/'])('code blocks on %s', (path) => {
  it('show no raw `[..]` and no `...` line', async ({ expect }) => {
    const raw = await withPage(path, renderedLines);
    expect(raw.flat().filter(isRaw)).toEqual([]);
  });
});

describe.each(['es', 'en'] as const)('elision markers on the %s page of red', (locale) => {
  const page = pages.find((p) => p.slug === 'red' && p.locale === locale)!;
  const blocks = visibleCodeBlocks(page.tree);
  // The first block with `[..]` in its output, and the first with a `...` line.
  const output = outputLines(page);
  const inlineAt = blocks.findIndex((c, b) => c.value.split('\n').some((l, i) => output[b]!.has(i) && l.includes('[..]')));
  const linesAt = blocks.findIndex((c, b) => c.value.split('\n').some((l, i) => output[b]!.has(i) && l.trim() === '...'));
  const t = EXPLAINED[locale];

  it("say what an elided part is, in the page's language, to the eye, the mouse and a screen reader", async () => {
    expect(inlineAt, `a block with [..] in its output on ${page.file}`).toBeGreaterThanOrEqual(0);
    expect(linesAt, `a block with a ... line in its output on ${page.file}`).toBeGreaterThanOrEqual(0);
    await withPage(page.urlPath, async (tab) => {
      const source = blocks[inlineAt]!.value;
      const block = tab.locator('.sl-markdown-content .expressive-code').nth(inlineAt);
      const pills = block.locator('.curso-elided');
      expect(await pills.count(), `markers in the block at ${page.file}:${blocks[inlineAt]!.position!.start.line}`).toBe(
        source.split('[..]').length - 1,
      );
      for (const pill of await pills.all()) {
        expect(await pill.textContent()).toBe('…');
        expect(await pill.getAttribute('title')).toBe(t.varies);
        expect(await pill.getAttribute('role')).toBe('img');
        expect(await pill.getAttribute('aria-label')).toBe(t.varies);
      }
      // Where `[..]` was, the reader sees "…": `PING web ([..]): 56 data bytes` → `PING web (…): …`.
      const first = source.split('\n').find((l) => l.includes('[..]'))!;
      expect(await renderedLines(tab).then((all) => all[inlineAt]!)).toContain(first.replaceAll('[..]', '…'));

      const marker = tab.locator('.sl-markdown-content .expressive-code').nth(linesAt).locator('.curso-elided-lines');
      expect(await marker.count()).toBeGreaterThan(0);
      expect(await marker.first().textContent()).toBe(t.lines);
      expect(await marker.first().getAttribute('title')).toBe(t.linesLabel);
      expect(await marker.first().getAttribute('aria-label')).toBe(t.linesLabel);
    });
  });

  it('can be reached with the keyboard, and then show their explanation', async () => {
    await withPage(page.urlPath, async (tab) => {
      const pill = tab.locator('.sl-markdown-content .expressive-code').nth(inlineAt).locator('.curso-elided').first();
      const before = await pill.evaluate((el) => el.getBoundingClientRect().width);
      // Tab from the element just before it, as a keyboard reader gets there.
      await pill.evaluate((el) => {
        const focusable = [...document.querySelectorAll<HTMLElement>('a[href], button, [tabindex]:not([tabindex="-1"]), select, input')];
        focusable[focusable.indexOf(el as HTMLElement) - 1]!.focus();
      });
      await tab.keyboard.press('Tab');
      expect(await pill.evaluate((el) => el === document.activeElement), 'the marker has the focus after Tab').toBe(true);
      expect(await pill.evaluate((el) => getComputedStyle(el, '::after').content)).toBe(`" ${t.varies}"`);
      expect(await pill.evaluate((el) => el.getBoundingClientRect().width), 'the focused marker grows to show its text').toBeGreaterThan(
        before,
      );
    });
  });

  it('are not copied: the copy button copies the commands only', async () => {
    await site.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    await withPage(page.urlPath, async (tab) => {
      const block = tab.locator('.sl-markdown-content .expressive-code').nth(inlineAt);
      await block.hover();
      await block.locator('button[data-code]').click();
      const copied = await tab.evaluate(() => navigator.clipboard.readText());
      expect(copied).toBe(commandsToCopy(blocks[inlineAt]!.value));
      for (const text of ['…', t.varies, t.lines, '[..]']) expect(copied, 'what the copy button copied').not.toContain(text);
    });
  });
});
