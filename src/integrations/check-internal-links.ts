import type { AstroIntegration } from 'astro';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLinkProblems, formatProblems, scanHtml } from './internal-links.ts';
import type { BuiltSite, ScannedPage } from './internal-links.ts';

/**
 * Fails the build when a page links (`<a href>`, `<img src>`) to a page or file of this site
 * that was not built, or to a `#hash` with no element of that id in the target page. It reads
 * the finished HTML, so it sees what readers get: course text, sidebar, prev/next, hero buttons.
 * Links that leave the site (`https://…`, and the `http://localhost:…` examples in the course
 * text) are not checked.
 */
export function checkInternalLinks(): AstroIntegration {
  return {
    name: 'curso-docker:check-internal-links',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const files = await listFiles(root);
        const site: BuiltSite = { files: new Set(files), ids: new Map() };
        const pages = new Map<string, ScannedPage>();
        for (const file of files) {
          if (!file.endsWith('.html')) continue;
          const page = scanHtml(await readFile(join(root, file), 'utf8'));
          pages.set(file, page);
          site.ids.set(file, page.ids);
        }
        const problems = findLinkProblems(pages, site);
        if (problems.length > 0) {
          throw new Error(`${problems.length} broken internal link(s) in the built site:\n${formatProblems(problems)}`);
        }
        const links = [...pages.values()].reduce((n, page) => n + page.links.length, 0);
        logger.info(`${links} links in ${pages.size} pages checked: no broken internal links.`);
      },
    },
  };
}

/** Every file under `root`, as a site path (`/red/index.html`). */
async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => `/${relative(root, join(entry.parentPath, entry.name)).split(sep).join('/')}`);
}
