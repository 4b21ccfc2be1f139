import type { BlockId } from '../../verify/src/index.ts';

// How a code block's identity (verify/src/model/block-id.ts) travels from the remark pass
// (src/remark/verification-status.ts), which numbers every block of the page, to Expressive
// Code's block factory (src/expressive-code/verification-badge.ts), which finds the block's
// verification by it. rehype-expressive-code builds each block from the `<pre><code>` element
// alone: its language class, its text and its meta string (`code.data.meta`, which
// mdast-util-to-hast copies from the mdast node's `meta`); nothing else of the node, neither
// `data` nor `hProperties`, reaches the block. So the id rides on the meta, as one more
// option at its end, and the factory takes it off again before any plugin reads the meta, so
// every plugin sees the meta as its author wrote it. Pure.

const OPTION = 'curso-block';
const TAGGED = new RegExp(`(?:^| )${OPTION}=([0-9a-f]+)\\.(\\d+)$`);

/** The meta with the block's id added at its end. */
export function withBlockId(meta: string | null | undefined, id: BlockId): string {
  const own = meta ?? '';
  return `${own}${own === '' ? '' : ' '}${OPTION}=${id.digest}.${id.occurrence}`;
}

/** The id the remark pass added, and the meta as the author wrote it (id null: none was added). */
export function takeBlockId(meta: string | undefined): { id: BlockId | null; meta: string } {
  const m = TAGGED.exec(meta ?? '');
  if (!m) return { id: null, meta: meta ?? '' };
  return { id: { digest: m[1]!, occurrence: Number(m[2]) }, meta: (meta ?? '').slice(0, m.index) };
}
