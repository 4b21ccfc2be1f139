import type { ExpressiveCodePlugin } from '@expressive-code/core';
import { selectAll, setProperty } from '@expressive-code/core/hast';
import { commandsToCopy, SHELL_LANGS } from '../../verify/src/index.ts';

// Expressive Code's Frames plugin stores what its copy button copies in `data-code`, with
// newlines encoded as U+007F. For a shell session we replace that with the commands the harness
// types (its own parser decides what a prompt is), so a reader can paste the block into a
// terminal without prompts or output. Blocks without prompts copy whole, as written.
export function copyCommandsOnly(): ExpressiveCodePlugin {
  return {
    name: 'curso-docker:copy-commands-only',
    hooks: {
      postprocessRenderedBlock: ({ codeBlock, renderData }) => {
        if (!SHELL_LANGS.has(codeBlock.language)) return;
        const commands = commandsToCopy(codeBlock.code);
        if (commands === null) return;
        for (const button of selectAll('[data-code]', renderData.blockAst)) {
          setProperty(button, 'dataCode', commands.replace(/\n/g, '\u007f'));
        }
      },
    },
  };
}
