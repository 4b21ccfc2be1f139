import { createHash } from 'node:crypto';

// A block's identity by content: what the reader sees of it (language, fence meta, text). The
// verification snapshot and the site's badges find a block's last verification by this digest
// (and its order among identical blocks of the page), so moving a block or editing the prose
// around it keeps its verification, and changing the block itself shows it as not verified yet.
// Both the harness (mdast-util-from-markdown) and the site (remark) see the same three fields.
export function blockDigest(lang: string | null | undefined, meta: string | null | undefined, value: string): string {
  return createHash('sha256')
    .update(`${(lang ?? '').toLowerCase()}\0${(meta ?? '').trim()}\0${value.replace(/\r\n?/g, '\n')}`)
    .digest('hex')
    .slice(0, 16);
}
