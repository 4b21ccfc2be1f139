// Every image the harness can stand in for when no registry answers, by the tag a page uses.
// Adding a tag is one line here (plus its recipe). A tag that is not here has no stand-in: a
// page that uses it needs a registry, and the harness says so.
import { busyboxStandIn, debianStandIn } from './base.ts';
import { fromRecipe } from './build.ts';
import { mariadb118 } from './mariadb.ts';
import { python313, python313Slim } from './python.ts';
import { registry2 } from './registry.ts';
import { wordpress68Apache } from './wordpress.ts';
import type { StandIn } from './stand-in.ts';

export const STAND_INS: Readonly<Record<string, () => Promise<StandIn> | StandIn>> = {
  'busybox:latest': busyboxStandIn,
  'debian:bookworm': () => debianStandIn('bookworm'),
  'debian:trixie': () => debianStandIn('trixie'),
  'python:3.13-slim': () => fromRecipe(python313Slim),
  'python:3.13': () => fromRecipe(python313),
  'mariadb:11.8': () => fromRecipe(mariadb118),
  // One image under both tags, as on Docker Hub (6.8 is the apache variant).
  'wordpress:6.8-apache': () => fromRecipe(wordpress68Apache),
  'wordpress:6.8': () => fromRecipe(wordpress68Apache),
  'registry:2': () => fromRecipe(registry2),
};

/** The images every lab has already pulled, as if the reader had pulled them after installing. */
export const BASE_IMAGES = ['busybox:latest', 'debian:bookworm', 'debian:trixie'] as const;

/** `busybox` → `busybox:latest`; refs with a tag or digest are kept as written. */
export function normalizeRef(ref: string): string {
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  return name.includes(':') || name.includes('@') ? ref : `${ref}:latest`;
}

/**
 * The table's tags a set of pages mentions (in a command, a Dockerfile's FROM, prose), so a run
 * builds only the stand-ins its pages need. A tag counts only as a whole word: `python:3.13`
 * is not mentioned by `python:3.13-slim`. A `:latest` tag is also mentioned by its bare name
 * (`docker run busybox`), as Docker reads it.
 */
export function imagesMentioned(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const ref of Object.keys(STAND_INS)) {
    const written = ref.endsWith(':latest') ? `${RegExp.escape(ref.slice(0, -':latest'.length))}(?::latest)?` : RegExp.escape(ref);
    const re = new RegExp(`(?<![\\w./:-])${written}(?![\\w.:/-])`);
    if (texts.some((t) => re.test(t))) out.push(ref);
  }
  return out;
}

export { fromRecipe };
