// The copy button of a shell session copies only what a reader types; other blocks copy whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsToCopy } from '../../verify/src/index.ts';
import { loadCoursePages, visibleCodeBlocks } from '../lib/course.ts';
import { openSite } from './browser.ts';
import type { Site } from './browser.ts';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

interface RenderedBlock {
  language: string;
  /** What the copy button copies (U+007F decoded back to newlines). */
  copies: string;
}

async function renderedBlocks(path: string): Promise<RenderedBlock[]> {
  const { page, response } = await site.open(path);
  try {
    expect(response?.status(), `GET ${path}`).toBe(200);
    return await page.locator('.sl-markdown-content .expressive-code').evaluateAll((blocks) =>
      blocks.map((block) => ({
        language: block.querySelector('pre')?.getAttribute('data-language') ?? '',
        copies: (block.querySelector('button[data-code]')?.getAttribute('data-code') ?? '').replace(/\u007f/g, '\n'),
      })),
    );
  } finally {
    await page.close();
  }
}

// The first block of /ciclo-de-vida/ without its prompts and output.
const CICLO_COMMANDS = [
  'docker create -P --expose=8001 python:2.7 python -m SimpleHTTPServer 8001',
  'docker ps -a',
  'docker start a842945e2414',
  'docker ps',
].join('\n');

const SHELL_SESSION = new Set(['console', 'shellsession', 'shell-session']);

describe('copy buttons on /ciclo-de-vida/', () => {
  it('copy the commands of a console block, without prompts or output', async () => {
    const [first] = await renderedBlocks('/ciclo-de-vida/');
    expect(first?.language).toBe('console');
    expect(first?.copies).toBe(CICLO_COMMANDS);
  });
});

describe('clicking a copy button', () => {
  it('puts the commands on the clipboard', async () => {
    await site.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    const { page } = await site.open('/ciclo-de-vida/');
    try {
      const block = page.locator('.sl-markdown-content .expressive-code').first();
      await block.hover();
      await block.locator('button[data-code]').click();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied, 'clipboard after clicking the copy button').toBe(CICLO_COMMANDS);
    } finally {
      await page.close();
    }
  });
});

describe('copy buttons on /dockerfile-ambiente/', () => {
  it('copy a Dockerfile whole', async () => {
    const source = visibleCodeBlocks(loadCoursePages().find((p) => p.file === 'content/dockerfile-ambiente.md')!.tree);
    const blocks = await renderedBlocks('/dockerfile-ambiente/');
    const i = blocks.findIndex((b) => b.language === 'dockerfile');
    expect(i, 'a Dockerfile block on /dockerfile-ambiente/').toBeGreaterThanOrEqual(0);
    expect(blocks[i]!.copies).toBe(expandTabs(source[i]!.value));
    expect(blocks[i]!.copies).toMatch(/^FROM ubuntu\n[\s\S]*\nCMD bash$/);
  });
});

describe.each(loadCoursePages().map((page) => [page.urlPath, page] as const))('copy buttons on %s', (urlPath, page) => {
  it(`copy commands only from shell sessions and whole code from other blocks (${page.file})`, async () => {
    const source = visibleCodeBlocks(page.tree);
    const blocks = await renderedBlocks(urlPath);
    expect(blocks.length, `rendered blocks vs ${page.file}`).toBe(source.length);
    blocks.forEach((block, i) => {
      const code = source[i]!;
      const where = `${page.file}:${code.position?.start.line} (\`\`\`${code.lang ?? ''})`;
      if (SHELL_SESSION.has(code.lang ?? '')) {
        expect(block.copies, `${where}: copies a prompt`).not.toMatch(/^\S*[$#] /m);
        expect(block.copies, `${where}: copies what commandsToCopy gives`).toBe(commandsToCopy(code.value));
      } else {
        expect(block.copies, `${where}: copies the whole block`).toBe(expandTabs(code.value).replace(/\s+$/, ''));
      }
    });
  });
});

/** Expressive Code renders (and copies) tabs as spaces up to the next stop (its `tabWidth`, 2). */
function expandTabs(code: string, width = 2): string {
  return code
    .split('\n')
    .map((line) => {
      let out = '';
      for (const char of line) out += char === '\t' ? ' '.repeat(width - (out.length % width)) : char;
      return out;
    })
    .join('\n');
}
