import { createHash } from 'node:crypto';
import type { Code, Nodes } from 'mdast';
import { visit } from 'unist-util-visit';

// A block's one identity, for the harness (its plan and results), the snapshot and the site
// (badges and the status page): the digest of what the reader sees of it (language, fence
// meta, text) and its order among the blocks of its page with that digest. So moving a block
// or editing the prose around it keeps its verification, changing the block itself shows it
// as not verified yet, and identical blocks of a page are told apart by their order. The
// harness (mdast-util-from-markdown) and the site (remark) both hand `blockIds` their tree of
// the page, so both count the same blocks the same way. Pure.

/** A block's identity within its page. */
export interface BlockId {
  /** The block's content digest (16 hex digits). */
  digest: string;
  /** 0 for the first block of the page with this digest, 1 for the second… */
  occurrence: number;
}

/** What a block's digest is made of: its fence's language and meta, and its text. */
export function blockDigest(lang: string | null | undefined, meta: string | null | undefined, value: string): string {
  return createHash('sha256')
    .update(`${(lang ?? '').toLowerCase()}\0${(meta ?? '').trim()}\0${value.replace(/\r\n?/g, '\n')}`)
    .digest('hex')
    .slice(0, 16);
}

/**
 * The identity of every code block of a page (its mdast tree), in page order. Every `code` node
 * counts, whether or not the harness runs it, so the harness and the site number alike.
 */
export function blockIds(tree: Nodes): Map<Code, BlockId> {
  const ids = new Map<Code, BlockId>();
  const seen = new Map<string, number>();
  visit(tree, 'code', (node) => {
    const digest = blockDigest(node.lang, node.meta, node.value);
    const occurrence = seen.get(digest) ?? 0;
    seen.set(digest, occurrence + 1);
    ids.set(node, { digest, occurrence });
  });
  return ids;
}

/** The key a block is found by across the course: its page and its identity there. */
export const blockKey = (b: BlockId & { file: string }) => `${b.file}|${b.digest}|${b.occurrence}`;
