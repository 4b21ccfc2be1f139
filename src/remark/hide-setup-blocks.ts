import type { Root, RootContent } from 'mdast';
import { parseFenceMeta } from '../../verify/src/index.ts';

// Blocks annotated `verify-setup` prepare the harness's lab (e.g. create a file the lesson
// assumes exists). Readers never see them; the harness still runs them.
export function hideSetupBlocks() {
  return () => (tree: Root) => {
    const drop = (children: RootContent[]): RootContent[] =>
      children
        .filter((node) => !(node.type === 'code' && isSetup(node.meta)))
        .map((node) => ('children' in node ? { ...node, children: drop(node.children as RootContent[]) } : node) as RootContent);
    tree.children = drop(tree.children);
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
