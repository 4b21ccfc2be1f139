import type { ExpressiveCodePlugin } from '@expressive-code/core';
import { commandsToCopy } from '../../verify/src/index.ts';

const SHELL_SESSION_LANGS = new Set(['console', 'shellsession', 'shell-session']);

// Expressive Code's Frames plugin stores what its copy button copies in `data-code`, with
// newlines encoded as U+007F. For shell sessions we replace that with the commands only, so a
// reader can paste the block into a terminal without prompts or output.
export function copyCommandsOnly(): ExpressiveCodePlugin {
  return {
    name: 'curso-docker:copy-commands-only',
    hooks: {
      postprocessRenderedBlock: ({ codeBlock, renderData }) => {
        if (!SHELL_SESSION_LANGS.has(codeBlock.language)) return;
        const text = commandsToCopy(codeBlock.code).replace(/\n/g, '\u007f');
        const stack = [renderData.blockAst as unknown as HastNode];
        while (stack.length > 0) {
          const node = stack.pop()!;
          if (node.type === 'element' && node.properties && 'dataCode' in node.properties) {
            node.properties.dataCode = text;
          }
          if (node.children) stack.push(...node.children);
        }
      },
    },
  };
}

interface HastNode {
  type: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}
