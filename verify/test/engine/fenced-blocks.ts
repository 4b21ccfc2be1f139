import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { visit } from 'unist-util-visit';

/**
 * Fenced code blocks of the fixture pages in `dir`, counted by a Markdown parser rather than by
 * the harness: what a report over them must account for, never a number typed by hand.
 */
export function fencedBlocks(dir: string): number {
  let n = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    visit(fromMarkdown(source), 'code', (node) => {
      if (/^(?:`{3,}|~{3,})/.test(source.slice(node.position!.start.offset))) n++;
    });
  }
  return n;
}
