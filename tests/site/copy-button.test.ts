// The copy button of a shell session copies only what a reader types, which is what the harness
// types when it verifies the block; other blocks copy whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Code } from 'mdast';
import { extractPage } from '../../verify/src/index.ts';
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

// The session of /ciclo-de-vida/ that creates and starts a server, without its prompts and output.
const CICLO_COMMANDS = [
  'docker create --name servidor -p 127.0.0.1::8001 python:3.13-slim python -m http.server 8001',
  'docker ps -a',
  'docker start servidor',
  'docker ps',
].join('\n');
const cicloPage = () => loadCoursePages().find((p) => p.file === 'content/ciclo-de-vida.md')!;
/** Where that session is among the page's rendered blocks. */
const cicloIndex = () => visibleCodeBlocks(cicloPage().tree).findIndex((c) => c.value.startsWith('$ docker create --name servidor'));

/**
 * What the harness types for each shell session with prompts, by fence line: the command of
 * every step (with its continuation lines and heredoc bodies), not the Enter pressed at a bare
 * prompt. Read from the harness's whole reading of the page, not from the copy button's code,
 * so a block the two read differently fails here. Blocks without prompts (a list of commands,
 * a file, output) are copied whole.
 */
function typedByHarness(page: CoursePage): Map<number, string> {
  const typed = new Map<number, string>();
  for (const block of extractPage(page.file, page.source).blocks) {
    const steps = 'steps' in block ? block.steps : [];
    if (steps.some((s) => s.promptKind !== 'none'))
      typed.set(
        block.line,
        steps
          .map((s) => s.command)
          .filter((c) => c !== '')
          .join('\n'),
      );
  }
  return typed;
}

describe('copy buttons on /ciclo-de-vida/', () => {
  it('copy the commands of a console block, without prompts or output', async () => {
    const i = cicloIndex();
    expect(i, 'the docker create session on /ciclo-de-vida/').toBeGreaterThanOrEqual(0);
    const block = (await renderedBlocks('/ciclo-de-vida/'))[i];
    expect(block?.language).toBe('console');
    expect(block?.copies).toBe(CICLO_COMMANDS);
  });
});

describe('clicking a copy button', () => {
  it('puts the commands on the clipboard', async () => {
    await site.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    const i = cicloIndex();
    expect(i, 'the docker create session on /ciclo-de-vida/').toBeGreaterThanOrEqual(0);
    const { page } = await site.open('/ciclo-de-vida/');
    try {
      const block = page.locator('.sl-markdown-content .expressive-code').nth(i);
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
    expect(blocks[i]!.copies).toMatch(/^FROM debian:trixie\n[\s\S]*\nCMD bash$/);
  });
});

// One page per test, a few tabs at a time (the site project's maxConcurrency); concurrent tests
// assert with their own `expect`.
describe.concurrent.each(loadCoursePages().map((page) => [page.urlPath, page] as const))('copy buttons on %s', (urlPath, page) => {
  it(`copy what the harness types from shell sessions and whole code from other blocks (${page.file})`, async ({ expect }) => {
    const source = visibleCodeBlocks(page.tree);
    const typed = typedByHarness(page);
    const blocks = await renderedBlocks(urlPath);
    expect(blocks.length, `rendered blocks vs ${page.file}`).toBe(source.length);
    blocks.forEach((block, i) => {
      const code: Code = source[i]!;
      const line = code.position!.start.line;
      const where = `${page.file}:${line} (\`\`\`${code.lang ?? ''})`;
      const commands = typed.get(line);
      if (commands !== undefined) {
        expect(block.copies, `${where}: copies the commands the harness types`).toBe(commands);
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
