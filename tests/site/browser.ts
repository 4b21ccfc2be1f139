// Headless Debian Chromium for the site tests, through playwright-core (no browser download).
// Every request that is not for the local test server is aborted and recorded, so a test run
// sends nothing off the machine and a page that would load something remote is caught.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { inject } from 'vitest';
import axe from 'axe-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Site {
  url: string;
  context: BrowserContext;
  /** Requests that tried to leave the machine (aborted). */
  blocked: string[];
  /** Opens a new tab; `theme` is stored where Starlight keeps it before any script runs. */
  newPage(options?: { theme?: 'light' | 'dark' }): Promise<Page>;
  /** Opens `path` in a new tab and returns the tab with the main response. */
  open(path: string, options?: { theme?: 'light' | 'dark' }): Promise<{ page: Page; response: Response | null }>;
  close(): Promise<void>;
}

export async function openSite(): Promise<Site> {
  const url = inject('siteUrl');
  const profile = mkdtempSync(join(tmpdir(), 'curso-docker-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'es-ES',
  });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const target = route.request().url();
    if (target.startsWith(`${url}/`) || target.startsWith('data:') || target.startsWith('blob:')) return route.continue();
    blocked.push(target);
    return route.abort('blockedbyclient');
  });
  const newPage = async (options: { theme?: 'light' | 'dark' } = {}) => {
    const page = await context.newPage();
    if (options.theme) {
      await page.addInitScript((theme) => localStorage.setItem('starlight-theme', theme), options.theme);
    }
    return page;
  };
  return {
    url,
    context,
    blocked,
    newPage,
    async open(path, options) {
      const page = await newPage(options);
      const response = await page.goto(url + path, { waitUntil: 'load' });
      return { page, response };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
  targets: string[];
}

/**
 * Waits for what the page's scripts do after load that a reader gets anyway: fonts, and Expressive
 * Code making overflowing code blocks focusable (it adds `tabindex` on idle, after a 250 ms
 * debounce). Does not fail when they don't come: axe then reports what is missing.
 */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page
    .waitForFunction(
      () =>
        [...document.querySelectorAll('.expressive-code pre')].every(
          (pre) => pre.scrollWidth <= pre.clientWidth || pre.hasAttribute('tabindex'),
        ),
      null,
      { timeout: 5_000, polling: 100 },
    )
    .catch(() => undefined);
}

/** Runs axe-core on the page (once it has settled) and returns its violations. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  await settle(page);
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: typeof import('axe-core') };
    const results = await w.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
}
