import { readFileSync } from 'node:fs';
import type { Code, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { blockIds, parseFenceMeta, type Cause, type Note, type Proof, type SnapshotBlock, type Status } from '../../verify/src/index.ts';
import { withBlockId } from '../verification/block-id-meta.ts';
import { isSetup } from './hide-setup-blocks.ts';

/** Where the list of a page's blocks goes in the page's `remarkPluginFrontmatter` (for the status page). */
export const BLOCKS_FRONTMATTER = 'cursoBlocks';

/** One fenced block of a page, as the status page lists it. */
export interface PageBlock {
  digest: string;
  occurrence: number;
  /** Fence line in the source file. */
  line: number;
  /** What names the block in a list: its `title`, or its first line. */
  label: string;
  /** A `verify-setup` block: the harness runs it, readers never see it. */
  hidden: boolean;
}

/**
 * What the badge of one block shows (in the page's locale, which Expressive Code gives it);
 * Expressive Code's block factory finds it by the block's id and hands it to the badge plugin
 * as a block prop (src/expressive-code/verification-badge.ts).
 */
export interface BadgeData {
  status: Status | 'unverified';
  proof: Proof;
  verifiedAt: string;
  /** Why it got its verdict, as data; the badge words it in the page's language (cause-texts.ts). */
  cause: Cause | null;
  notes: Note[];
  /** The latest run could not verify it again: when, and why (null: it did). */
  lastAttempt: { verifiedAt: string; cause: Cause | null } | null;
  /** The reader's Docker it ran on, e.g. 28.5.2+dfsg4. */
  docker: string;
  standIns: string[];
  /** The page (relative to the project root), digest and occurrence: where the badge and its row live. */
  file: string;
  digest: string;
  occurrence: number;
}

/** A block's badge from its snapshot entry (none: not verified yet). Pure. */
export function badgeData(v: SnapshotBlock | undefined, ref: { file: string; digest: string; occurrence: number }): BadgeData {
  return {
    status: v?.status ?? 'unverified',
    proof: v?.proof ?? 'none',
    verifiedAt: v?.verifiedAt ?? '',
    cause: v?.cause ?? null,
    notes: v?.notes ?? [],
    lastAttempt: v?.lastAttempt ?? null,
    docker: v?.docker ?? '',
    standIns: v?.standIns ?? [],
    ...ref,
  };
}

// Gives every code block of the page its identity (verify/src/model/block-id.ts: content digest
// and order among identical blocks of the page, as the harness numbers them, with the same
// function), on the block itself: Expressive Code's block factory reads it there and finds the
// block's last verification by it (src/verification/block-id-meta.ts says how it travels). So
// edits elsewhere in the page do not lose a block's verification, an edited block says it is
// not verified yet, and each of two blocks that differ only in whitespace keeps its own.
// It also lists every block of the page (hidden setup blocks included, as the harness counts
// them) in the page's remarkPluginFrontmatter, where the status page finds them.
export function verificationStatus() {
  return () =>
    (
      tree: Root,
      file: { path?: string; value?: unknown; data?: Record<string, unknown> & { astro?: { frontmatter?: Record<string, unknown> } } },
    ) => {
      if (!file.path) return;
      const ids = blockIds(tree);
      const blocks: PageBlock[] = [];
      const offset = linesBefore(file.path, file.value);
      visit(tree, 'code', (node: Code) => {
        const id = ids.get(node)!;
        blocks.push({
          ...id,
          line: (node.position?.start.line ?? 0) + offset,
          label: blockLabel(node),
          hidden: isSetup(node.meta),
        });
        node.meta = withBlockId(node.meta, id);
      });
      file.data ??= {};
      file.data.astro ??= {};
      file.data.astro.frontmatter ??= {};
      file.data.astro.frontmatter[BLOCKS_FRONTMATTER] = blocks;
    };
}

/**
 * Astro hands remark the page without its frontmatter: the lines of the file before that body,
 * so a block's line is the file's, as the harness reports it. 0 when the file cannot be read.
 */
function linesBefore(file: string, body: unknown): number {
  if (typeof body !== 'string' || body === '') return 0;
  try {
    const source = readFileSync(file, 'utf8');
    const at = source.indexOf(body);
    return at > 0 ? source.slice(0, at).split('\n').length - 1 : 0;
  } catch {
    return 0;
  }
}

const LABEL_MAX = 72;

/** `title="Dockerfile"` → Dockerfile; otherwise the block's first non-blank line, shortened. */
export function blockLabel(node: Pick<Code, 'meta' | 'value'>): string {
  let title: string | undefined;
  try {
    const entry = parseFenceMeta(node.meta ?? '').find((e) => e.key === 'title');
    if (typeof entry?.value === 'string') title = entry.value;
  } catch {
    // A meta the harness cannot read: name the block by its text.
  }
  const text = (title ?? node.value.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  return text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1).trimEnd()}…` : text;
}
