import { defineRouteMiddleware, type StarlightRouteData } from '@astrojs/starlight/route-data';
import { STATUS_PAGE } from './anchors.ts';

// The status page has a different name in each locale (/estado/, /en/status/), which Starlight
// does not know: it makes the sidebar's one link item `/estado/` into `/en/estado/` on English
// pages, and names the other locale's version of a page by swapping the locale prefix (head
// `alternate` links). This puts the real address wherever Starlight made up one, and marks the
// English status page current in its sidebar (with its previous page) as Starlight does for the
// Spanish one.

/** Made-up address → real one. */
const REAL: Record<string, string> = {
  [`/en${STATUS_PAGE.es}`]: STATUS_PAGE.en,
  [STATUS_PAGE.en.replace(/^\/en\//, '/')]: STATUS_PAGE.es,
};

const real = (href: string) => REAL[href] ?? href;

type Entry = StarlightRouteData['sidebar'][number];
type Link = Extract<Entry, { type: 'link' }>;

function links(entries: Entry[]): Link[] {
  return entries.flatMap((e) => (e.type === 'link' ? [e] : links(e.entries)));
}

export const onRequest = defineRouteMiddleware((context) => {
  const route = context.locals.starlightRoute;
  const here = context.url.pathname.replace(/\/?$/, '/');
  const all = links(route.sidebar);
  for (const link of all) {
    const href = real(link.href);
    if (href === link.href) continue;
    link.href = href;
    if (href === here) {
      link.isCurrent = true;
      const prev = all[all.indexOf(link) - 1];
      if (!route.pagination.prev && prev && route.entry.data.prev !== false) route.pagination.prev = prev;
    }
  }
  for (const rel of ['prev', 'next'] as const) {
    const link = route.pagination[rel];
    if (link) route.pagination[rel] = { ...link, href: real(link.href) };
  }
  for (const tag of route.head) {
    if (tag.tag !== 'link' || tag.attrs?.rel !== 'alternate' || typeof tag.attrs.href !== 'string') continue;
    const url = new URL(tag.attrs.href);
    url.pathname = real(url.pathname);
    tag.attrs.href = url.href;
  }
});
