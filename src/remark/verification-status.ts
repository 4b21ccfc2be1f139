import path from 'node:path';
import type { Code, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { blockDigest, snapshotKey } from '../../verify/src/index.ts';
import { loadVerifications } from '../verification/snapshot-index.ts';

export const VERIFIED_META = 'curso-verified';

/** What the badge of one block shows; travels to the Expressive Code plugin in the fence meta. */
export interface BadgeData {
  status: 'passed' | 'failed' | 'skipped' | 'error' | 'unverified';
  proof: 'output' | 'exit-status' | 'used' | 'written' | 'none';
  verifiedAt: string;
  reason: string;
  /** The reader's Docker it ran on, e.g. 28.5.2+dfsg4. */
  docker: string;
  standIns: string[];
  lang: 'es' | 'en';
}

// Attaches each fenced block's last verification (from the snapshot) to its fence meta, where
// the Expressive Code badge plugin reads it. Blocks are found by content digest and their order
// among identical blocks of the page, the way the harness records them, so edits elsewhere in
// the page do not lose a block's verification, and an edited block says it is not verified yet.
export function verificationStatus(opts: { root?: string } = {}) {
  const root = opts.root ?? process.cwd();
  return () => (tree: Root, file: { path?: string }) => {
    if (!file.path) return;
    const verifications = loadVerifications();
    const rel = path.relative(root, file.path).split(path.sep).join('/');
    // English pages live under `en/`.
    const lang = rel.split('/').includes('en') ? 'en' : 'es';
    const seen = new Map<string, number>();
    visit(tree, 'code', (node: Code) => {
      const digest = blockDigest(node.lang, node.meta, node.value);
      const occurrence = seen.get(digest) ?? 0;
      seen.set(digest, occurrence + 1);
      const v = verifications.get(snapshotKey({ file: rel, digest, occurrence }));
      const data: BadgeData = {
        status: v?.status ?? 'unverified',
        proof: v?.proof ?? 'none',
        verifiedAt: v?.verifiedAt ?? '',
        reason: v?.reason ?? '',
        docker: v?.docker ?? '',
        standIns: v?.standIns ?? [],
        lang,
      };
      node.meta = `${node.meta ?? ''} ${VERIFIED_META}="${encodeURIComponent(JSON.stringify(data))}"`.trim();
    });
  };
}
