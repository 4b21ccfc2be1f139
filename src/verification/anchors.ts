// Where a block and its row live: the badge under a code block links to its row on the status
// page, and the row links back to the block in its lesson. Both sides build the addresses here,
// from what stays put while the block does (its page, content digest and order among identical
// blocks of the page), so a link survives edits elsewhere in the page. Pure.

export type Lang = 'es' | 'en';

/** The status page of each locale. */
export const STATUS_PAGE: Record<Lang, string> = { es: '/estado/', en: '/en/status/' };

/** `content/en/red.md` → en; any other page of `content/` is Spanish (the root locale). */
export function localeOfFile(file: string): Lang {
  return /^content\/en\//.test(file) ? 'en' : 'es';
}

/** The page's slug within its locale, as the sidebar config names it: `content/en/a/b.md` → `a/b`. */
export function pageSlug(file: string): string {
  return file.replace(/^content\/(?:en\/)?/, '').replace(/\.mdx?$/, '');
}

/** The page's slug as a piece of an HTML id: `content/en/red.md` → `red`; `content/a/b.md` → `a-b`. */
export function fileSlug(file: string): string {
  return pageSlug(file).replace(/[^A-Za-z0-9_-]+/g, '-');
}

/** Where a page of `content/` is served: `content/red.md` → `/red/`, `content/en/index.mdx` → `/en/`. */
export function lessonUrl(file: string): string {
  const prefix = localeOfFile(file) === 'en' ? '/en/' : '/';
  const slug = pageSlug(file).replace(/(?:^|\/)index$/, '');
  return slug ? `${prefix}${slug}/` : prefix;
}

interface BlockRef {
  file: string;
  digest: string;
  occurrence: number;
}

/** The id of a block's row on the status page, unique across the pages of a locale. */
export const rowId = (b: BlockRef) => `b-${fileSlug(b.file)}-${b.digest}-${b.occurrence}`;

/** The id of a code block on its lesson page. */
export const blockAnchor = (b: BlockRef) => `v-${fileSlug(b.file)}-${b.digest}-${b.occurrence}`;

/** The badge's link: the block's row on the status page of its page's locale. */
export const rowHref = (b: BlockRef) => `${STATUS_PAGE[localeOfFile(b.file)]}#${rowId(b)}`;

/** The row's link: the block on its lesson page. */
export const blockHref = (b: BlockRef) => `${lessonUrl(b.file)}#${blockAnchor(b)}`;
