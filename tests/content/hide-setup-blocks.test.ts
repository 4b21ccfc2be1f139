import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Code, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { hideSetupBlocks } from '../../src/remark/hide-setup-blocks.ts';

// Blocks annotated `verify-setup` never reach the reader, wherever they sit; every other block
// stays, in order.

const fence = (meta: string, body: string) => `\`\`\`console${meta ? ` ${meta}` : ''}\n${body}\n\`\`\``;

function visibleBodies(markdown: string): string[] {
  const tree = fromMarkdown(markdown) as Root;
  hideSetupBlocks()()(tree);
  const bodies: string[] = [];
  visit(tree, 'code', (node: Code) => {
    bodies.push(node.value);
  });
  return bodies;
}

describe('hideSetupBlocks', () => {
  it('drops setup blocks side by side, in a list and in a quote, and keeps the rest in order', () => {
    const markdown = [
      fence('verify-setup', '$ echo s1'),
      fence('verify-setup', '$ echo s2'),
      fence('', '$ echo v1'),
      `- item\n\n  ${fence('verify-setup', '  $ echo s3').replace(/\n/g, '\n  ')}\n\n  ${fence('', '  $ echo v2').replace(/\n/g, '\n  ')}`,
      `> ${fence('verify-setup', '$ echo s4').replace(/\n/g, '\n> ')}`,
      fence('title="x"', '$ echo v3'),
    ].join('\n\n');
    expect(visibleBodies(markdown)).toEqual(['$ echo v1', '  $ echo v2', '$ echo v3']);
  });
});
