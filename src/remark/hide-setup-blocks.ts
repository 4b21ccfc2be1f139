import type { Root } from 'mdast';
import { SKIP, visit } from 'unist-util-visit';
import { parseFenceMeta } from '../../verify/src/index.ts';

// Blocks annotated `verify-setup` prepare the harness's lab (e.g. create a file the lesson
// assumes exists). Readers never see them; the harness still runs them.
export function hideSetupBlocks() {
  return () => (tree: Root) => {
    visit(tree, 'code', (node, index, parent) => {
      if (!parent || index === undefined || !isSetup(node.meta)) return;
      parent.children.splice(index, 1);
      // The next sibling is now at `index`: visit it there.
      return [SKIP, index];
    });
  };
}

export function isSetup(meta: string | null | undefined): boolean {
  if (!meta) return false;
  try {
    return parseFenceMeta(meta).some((entry) => entry.key === 'verify-setup');
  } catch {
    return false;
  }
}
