import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Code, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import {
  blockDigest,
  parseFenceMeta,
  snapshotKey,
  type Cause,
  type Note,
  type Proof,
  type SnapshotBlock,
  type Status,
} from '../../verify/src/index.ts';
import { verificationRecorder } from '../verification/block-verifications.ts';
import { loadVerifications } from '../verification/snapshot-index.ts';
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
 * travels to the badge plugin as a block prop (src/verification/block-verifications.ts).
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

// Finds each fenced block's last verification in the snapshot and records it on the page's
// file, where Expressive Code picks it up for the badge plugin (src/verification/
// block-verifications.ts). Blocks are found by content digest and their order among identical
// blocks of the page, the way the harness records them, so edits elsewhere in the page do not
// lose a block's verification, and an edited block says it is not verified yet.
// It also lists every block of the page (hidden setup blocks included, as the harness counts
// them) in the page's remarkPluginFrontmatter, where the status page finds them.
export function verificationStatus(opts: { root?: string } = {}) {
  const root = opts.root ?? process.cwd();
  return () =>
    (
      tree: Root,
      file: { path?: string; value?: unknown; data?: Record<string, unknown> & { astro?: { frontmatter?: Record<string, unknown> } } },
    ) => {
      if (!file.path) return;
      const verifications = loadVerifications();
      const rel = path.relative(root, file.path).split(path.sep).join('/');
      const seen = new Map<string, number>();
      const blocks: PageBlock[] = [];
      const offset = linesBefore(file.path, file.value);
      file.data ??= {};
      const data = file.data;
      const record = verificationRecorder(data);
      visit(tree, 'code', (node: Code) => {
        const digest = blockDigest(node.lang, node.meta, node.value);
        const occurrence = seen.get(digest) ?? 0;
        seen.set(digest, occurrence + 1);
        const ref = { file: rel, digest, occurrence };
        record({ lang: node.lang ?? '', meta: node.meta ?? '', code: node.value }, badgeData(verifications.get(snapshotKey(ref)), ref));
        blocks.push({
          digest,
          occurrence,
          line: (node.position?.start.line ?? 0) + offset,
          label: blockLabel(node),
          hidden: isSetup(node.meta),
        });
      });
      data.astro ??= {};
      data.astro.frontmatter ??= {};
      data.astro.frontmatter[BLOCKS_FRONTMATTER] = blocks;
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
