// axe-core on every page, in the light and the dark theme. Serious and critical violations
// fail; all violations are summed up by impact at the end, for the record. The scans run a few
// at a time (the site project's maxConcurrency), each in its own tab: a scan spends much of its
// time waiting for the page to settle. One browser per theme, because the stored theme is
// shared by every tab of a browser profile.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { loadCoursePages } from '../lib/course.ts';
import { openSite, runAxe } from './browser.ts';
import type { AxeViolation, Site } from './browser.ts';

const THEMES = ['light', 'dark'] as const;
const FAILING = new Set(['serious', 'critical']);

const sites = {} as Record<(typeof THEMES)[number], Site>;
const found: Array<{ path: string; theme: string; violation: AxeViolation }> = [];
const scanned = new Set<string>();

beforeAll(async () => {
  for (const theme of THEMES) sites[theme] = await openSite();
});
afterAll(async () => {
  for (const theme of THEMES) await sites[theme]?.close();
  console.log(axeSummary());
});

// Every course page, and the status page of each locale.
const PATHS = [...loadCoursePages().map((page) => page.urlPath), '/estado/', '/en/status/'];

describe.concurrent.each(PATHS.map((path) => [path] as const))('axe on %s', (path) => {
  // Concurrent tests assert with their own `expect`, so a failure is reported on its own scan.
  it.for(THEMES)('%s theme: no serious or critical violations', async (theme, { expect }) => {
    const { page, response } = await sites[theme].open(path, { theme });
    try {
      expect(response?.status(), `GET ${path}`).toBe(200);
      expect(await page.getAttribute('html', 'data-theme'), `theme of ${path}`).toBe(theme);
      const violations = await runAxe(page);
      scanned.add(`${path} ${theme}`);
      for (const violation of violations) found.push({ path, theme, violation });
      const failing = violations
        .filter((v) => FAILING.has(v.impact ?? ''))
        .map((v) => `${v.impact} ${v.id} (${v.help}) ×${v.nodes}: ${v.targets.join(' | ')}`);
      expect(failing, `axe on ${path} (${theme} theme)`).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

function axeSummary(): string {
  const lines = [`axe-core summary: ${scanned.size} page scans (${THEMES.join(' + ')} themes)`];
  if (found.length === 0) return lines.concat('  no violations of any impact').join('\n');
  for (const impact of ['critical', 'serious', 'moderate', 'minor']) {
    const ofImpact = found.filter((f) => (f.violation.impact ?? 'minor') === impact);
    if (ofImpact.length === 0) {
      lines.push(`  ${impact}: none`);
      continue;
    }
    const byRule = new Map<string, typeof ofImpact>();
    for (const f of ofImpact) byRule.set(f.violation.id, [...(byRule.get(f.violation.id) ?? []), f]);
    const nodes = ofImpact.reduce((n, f) => n + f.violation.nodes, 0);
    lines.push(`  ${impact}: ${byRule.size} rule(s), ${nodes} element(s) in ${ofImpact.length} page scan(s)`);
    for (const [rule, hits] of byRule) {
      const where = [...new Set(hits.map((h) => `${h.path} (${h.theme})`))];
      const shown = where.length > 6 ? [...where.slice(0, 6), `… ${where.length - 6} more`] : where;
      lines.push(`    ${rule} — ${hits[0]!.violation.help}`);
      lines.push(`      e.g. ${hits[0]!.violation.targets[0] ?? '?'}; on ${shown.join(', ')}`);
    }
  }
  return lines.join('\n');
}
