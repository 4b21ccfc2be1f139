import type { BadgeData } from '../remark/verification-status.ts';

// How each code block's verification goes from the remark pass (src/remark/verification-status.ts,
// which sees every block of the page, setup blocks included, and finds it in the snapshot) to
// Expressive Code, which renders the visible ones: the remark pass records them on the page's
// file, in page order; Expressive Code's block factory claims each block's own as it creates the
// block, and hands it to the badge plugin as a block prop. Pure, apart from the record it keeps.

/** Where the record lives in the page's `file.data`. */
export const VERIFICATIONS_DATA = 'cursoVerifications';

interface Entry {
  key: string;
  badge: BadgeData;
  claimed: boolean;
}

/**
 * A block as both sides see it. Expressive Code gets the text with tabs expanded and a final
 * newline, so whitespace does not count; blocks that differ only in whitespace are taken in
 * page order, as identical ones are.
 */
function contentKey(lang: string, meta: string, code: string): string {
  return `${lang}\u0000${meta}\u0000${code.replace(/\s+/g, '')}`;
}

/** A fresh record on the page's file data, and how to add each block's verification to it (the remark side). */
export function verificationRecorder(
  data: Record<string, unknown>,
): (block: { lang: string; meta: string; code: string }, badge: BadgeData) => void {
  const entries: Entry[] = [];
  data[VERIFICATIONS_DATA] = entries;
  return (block, badge) => void entries.push({ key: contentKey(block.lang, block.meta, block.code), badge, claimed: false });
}

/** The first unclaimed verification recorded for a block with this content (Expressive Code's side). */
export function claimVerification(
  data: Record<string, unknown> | undefined,
  block: { language: string; meta: string; code: string },
): BadgeData | undefined {
  const key = contentKey(block.language, block.meta, block.code);
  const entry = (data?.[VERIFICATIONS_DATA] as Entry[] | undefined)?.find((e) => !e.claimed && e.key === key);
  if (!entry) return undefined;
  entry.claimed = true;
  return entry.badge;
}
