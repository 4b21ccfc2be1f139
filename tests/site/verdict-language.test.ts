// Every verdict the built site shows (a badge's text and tooltip, on the lessons and on the
// status pages) is in its page's language: no English phrase on a Spanish page, no Spanish one
// on an English page. Read from the built HTML files themselves.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import { describe, expect, inject, it } from 'vitest';
import { badgeTexts } from '../../src/expressive-code/verification-badge.ts';
import { causeTexts } from '../../src/verification/cause-texts.ts';
import { statusTexts } from '../../src/verification/status-texts.ts';
import { causeWords, type Cause } from '../../verify/src/index.ts';

type Lang = 'es' | 'en';

/** The fixed parts of a set of templates: the text between `{placeholders}`, at least two words long. */
function fragments(texts: Iterable<unknown>): string[] {
  const out: string[] = [];
  for (const t of texts) {
    if (typeof t !== 'string') continue;
    for (const part of t.split(/\{\w+\}/)) {
      const p = part.replace(/^[\s○✓✗!·:;,.()—-]+|[\s·:;,.()—-]+$/g, '');
      if (p.split(/\s+/).length >= 2 && p.length >= 10) out.push(p);
    }
  }
  return out;
}

/** The harness's own English words (the terminal's), which once reached Spanish tooltips. */
const HARNESS_SAMPLES: Cause[] = [
  { kind: 'checked-by', line: 1, command: 'x' },
  { kind: 'display', annotated: false, lang: 'php', looksLike: null },
  { kind: 'shown-output', annotated: false },
  { kind: 'written-only', path: '/x', why: 'unused', line: null },
  { kind: 'output-differs' },
  { kind: 'not-run', fatal: null },
];

function phrasesOf(lang: Lang): string[] {
  const status = statusTexts[lang];
  const own = [
    ...Object.values(badgeTexts.get(lang)),
    ...Object.values(causeTexts.get(lang)),
    ...Object.values(status.pathRow),
    ...Object.values(status.categories),
  ];
  const harness = lang === 'en' ? HARNESS_SAMPLES.map(causeWords).map((w) => w.split(/[:(`]/)[0]!) : [];
  return fragments([...own, ...harness]);
}

/** Phrases of `other` that `lang` does not share (a phrase both languages use proves nothing). */
function foreign(lang: Lang, other: Lang): string[] {
  const mine = phrasesOf(lang).map((p) => p.toLowerCase());
  return [...new Set(phrasesOf(other))].filter((p) => !mine.some((m) => m.includes(p.toLowerCase())));
}

/** Each verdict on a built page: the badge's text and its tooltip. */
function verdicts(tree: Root): string[] {
  const out: string[] = [];
  visit(tree, 'element', (el: Element) => {
    const cls = el.properties.className;
    if (!(Array.isArray(cls) && cls.includes('curso-verify'))) return;
    out.push(textOf(el));
    if (typeof el.properties.title === 'string') out.push(el.properties.title);
  });
  return out;
}

function textOf(node: Element | Root): string {
  let s = '';
  visit(node, 'text', (t: { value: string }) => {
    s += t.value;
  });
  return s;
}

function builtPages(dist: string): { file: string; lang: Lang; tree: Root }[] {
  return readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html') && e.name !== '404.html')
    .map((e) => {
      const file = join(e.parentPath, e.name);
      const tree = fromHtml(readFileSync(file, 'utf8'));
      let lang: Lang = 'es';
      visit(tree, 'element', (el: Element) => {
        if (el.tagName === 'html' && el.properties.lang === 'en') lang = 'en';
      });
      return { file: file.slice(dist.length), lang, tree };
    });
}

describe('verdicts in the page’s language', () => {
  const dist = inject('siteDist');
  const pages = builtPages(dist);

  it.each(['es', 'en'] as const)('%s pages show no verdict phrase of the other language', (lang) => {
    const other = lang === 'es' ? 'en' : 'es';
    const phrases = foreign(lang, other);
    // The check means something only with phrases to look for and verdicts to look in.
    expect(phrases.length).toBeGreaterThan(20);
    const mine = pages.filter((p) => p.lang === lang);
    const said = mine.flatMap((p) => verdicts(p.tree).map((text) => ({ file: p.file, text })));
    expect(said.length).toBeGreaterThan(100);
    const leaks = said.flatMap(({ file, text }) => phrases.filter((p) => text.includes(p)).map((p) => `${file}: “${p}” in “${text}”`));
    expect(leaks).toEqual([]);
  });

  it('tooltips say why in the page’s language: a file checked by the step that uses it', () => {
    const titles = (lang: Lang) => pages.filter((p) => p.lang === lang).flatMap((p) => verdicts(p.tree));
    expect(titles('es').some((t) => t.startsWith('Comprobado por la línea '))).toBe(true);
    expect(titles('en').some((t) => t.startsWith('Checked by line '))).toBe(true);
  });
});
