import path from 'node:path';
import { ExpressiveCodeBlock, PluginTexts, type ExpressiveCodeBlockOptions, type ExpressiveCodePlugin } from '@expressive-code/core';
import { h } from '@expressive-code/core/hast';
import { blockKey } from '../../verify/src/index.ts';
import { badgeData, type BadgeData } from '../remark/verification-status.ts';
import { blockAnchor, localeOfFile, rowHref } from '../verification/anchors.ts';
import { takeBlockId } from '../verification/block-id-meta.ts';
import { causeText, verdictText } from '../verification/cause-texts.ts';
import { loadVerifications } from '../verification/snapshot-index.ts';

// Puts under every code block a visible, true sign of what the harness proved about it, when,
// and on which Docker (the reader's, inside the lab). A pass says what it proves: the documented
// output appeared, or the command ran without error (the page documents no output). A file the
// page creates is judged by the first step that uses it: "verified" only when that step held,
// "not checked" when no step uses it. The status comes from the snapshot, found by the id the
// verificationStatus remark plugin gave the block, as the block's `verification` prop; the
// texts are in the block's locale, which Expressive Code gives every hook. The badge links to
// the block's row on the status page, and the block carries the anchor that row links back to.

declare module '@expressive-code/core' {
  export interface ExpressiveCodeBlockProps {
    /** The block's last verification, from the snapshot; absent: nothing is known of it. */
    verification: BadgeData;
  }
}

export type BadgeKey = Key;
type Key =
  | 'output'
  | 'exitStatus'
  | 'used'
  | 'written'
  | 'unchecked'
  | 'failed'
  | 'skipped'
  | 'display'
  | 'shownOutput'
  | 'error'
  | 'unverified';
type Texts = Record<Key | 'standIn' | 'standInTitle' | 'notReverified', string>;

export const badgeTexts = new PluginTexts<Texts>({
  output: '✓ Verified on {date} · Docker {docker}',
  exitStatus: '✓ Ran without errors on {date} · Docker {docker} (output not documented)',
  used: '✓ Verified on {date} by the step that uses it · Docker {docker}',
  written: '○ Not checked: no step of the page uses this file',
  unchecked: '○ Not checked: started in the background on {date}',
  failed: '✗ Out of date: did not hold on {date} · Docker {docker}',
  skipped: '○ Not run: {reason}',
  display: '○ Display only (not run)',
  shownOutput: '○ Output shown without its command (not run)',
  error: '! Could not be verified on {date}',
  unverified: '○ Not verified yet',
  standIn: ' · stand-in image',
  standInTitle: 'Verified offline with stand-ins built from Debian packages for: {images}',
  notReverified: ' · could not be re-verified on {date}',
});
badgeTexts.addLocale('es', {
  output: '✓ Verificado el {date} · Docker {docker}',
  exitStatus: '✓ Se ejecutó sin errores el {date} · Docker {docker} (salida no documentada)',
  used: '✓ Verificado el {date} por el paso que lo usa · Docker {docker}',
  written: '○ No comprobado: ningún paso de la página usa este archivo',
  unchecked: '○ No comprobado: se inició en segundo plano el {date}',
  failed: '✗ Desactualizado: no se cumplió el {date} · Docker {docker}',
  skipped: '○ No se ejecuta: {reason}',
  display: '○ Solo se muestra (no se ejecuta)',
  shownOutput: '○ Salida mostrada sin su comando (no se ejecuta)',
  error: '! No se pudo verificar el {date}',
  unverified: '○ Aún sin verificar',
  standIn: ' · imagen sustituta',
  standInTitle: 'Verificado sin conexión, con imágenes sustitutas construidas con paquetes de Debian en lugar de: {images}',
  notReverified: ' · no se pudo volver a verificar el {date}',
});

/** The badge's key for a block's verification. Pure. */
export function badgeKey(d: Pick<BadgeData, 'status' | 'proof' | 'cause'>): Key {
  switch (d.status) {
    case 'passed':
      switch (d.proof) {
        case 'output':
          return 'output';
        case 'exit-status':
          return 'exitStatus';
        case 'used':
          return 'used';
        case 'written':
          return 'written';
        // Nothing was checked: never "verified".
        case 'none':
          return 'unchecked';
      }
      return 'unchecked';
    case 'skipped':
      if (d.cause?.kind === 'display') return 'display';
      return d.cause?.kind === 'shown-output' ? 'shownOutput' : 'skipped';
    default:
      return d.status;
  }
}

/** 28.5.2+dfsg4 → 28.5 */
export const shortDocker = (v: string) => /^\d+\.\d+/.exec(v)?.[0] ?? v;

/** What a block's badge says (and its tooltip), in `locale`; the status page shows the same. Pure. */
export function badgeView(d: BadgeData | null, locale: string): { key: Key; text: string; title: string } {
  const t = badgeTexts.get(locale);
  const key = d ? badgeKey(d) : 'unverified';
  const day = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));
  const date = d?.verifiedAt ? day(d.verifiedAt) : '';
  const ran = key === 'output' || key === 'exitStatus' || key === 'used' || key === 'failed' || key === 'error';
  const standIns = ran && d && d.standIns.length > 0;
  const why = d ? verdictText(d, locale) : '';
  let text = t[key]
    .replace('{date}', date)
    .replace('{docker}', shortDocker(d?.docker ?? ''))
    .replace('{reason}', why);
  if (!d?.docker) text = text.replace(/ · Docker $| · Docker (?=[ (])/, '');
  if (standIns) text += t.standIn;
  // The last verdict still stands, but the latest run could not check it again: say when, and why.
  const again = d?.lastAttempt ?? null;
  if (again) text += t.notReverified.replace('{date}', day(again.verifiedAt));
  const againWhy = again?.cause ? causeText(again.cause, locale) : '';
  // The tooltip says why, unless the badge itself already does (a skip's reason is its text).
  const title = [key === 'skipped' ? '' : why, againWhy, standIns ? t.standInTitle.replace('{images}', d!.standIns.join(', ')) : '']
    .filter(Boolean)
    .join(' — ');
  return { key, text, title };
}

export function verificationBadge(): ExpressiveCodePlugin {
  return {
    name: 'curso-docker:verification-badge',
    baseStyles: `
      .curso-verify {
        margin: 0;
        padding: 0.2rem 0.6rem;
        font-size: 0.8rem;
        text-align: end;
        color: var(--sl-color-gray-2, #444);
        border-top: 1px solid var(--sl-color-hairline, #ccc);
        background: var(--sl-color-bg-nav, transparent);
      }
      .curso-verify[data-status='failed'], .curso-verify[data-status='error'] { font-weight: 600; }
      /* A link, told apart from the text around it by more than colour. */
      .curso-verify a { color: inherit; text-decoration: underline dotted; text-underline-offset: 0.2em; }
      .curso-verify a:hover, .curso-verify a:focus-visible { text-decoration-style: solid; }
      /* The block a status page row led to. */
      .frame:target { outline: 2px solid var(--sl-color-accent, currentColor); outline-offset: 2px; }
    `,
    hooks: {
      postprocessRenderedBlock: ({ codeBlock, renderData, locale }) => {
        const d = codeBlock.props.verification ?? null;
        const { key, text, title } = badgeView(d, locale);
        // Blocks the snapshot lookup never saw (no page file) have no row to link to.
        const ref = d?.file && d.digest ? { file: d.file, digest: d.digest, occurrence: d.occurrence } : null;
        if (ref) renderData.blockAst.properties.id = blockAnchor(ref);
        renderData.blockAst.children.push(
          h(
            'p',
            { className: 'curso-verify', 'data-status': key, 'data-checked': d?.verifiedAt || undefined, title: title || undefined },
            ref ? h('a', { href: rowHref(ref) }, text) : text,
          ),
        );
      },
    },
  };
}

/**
 * Expressive Code's `customCreateBlock`: every block of a page gets its last verification from
 * the snapshot, found by the id the remark pass put on the block (src/verification/
 * block-id-meta.ts), as its `verification` prop, and its meta back as its author wrote it. A
 * block with no id (not from a page's Markdown) gets none: nothing is known of it.
 */
export function blockWithVerification(
  { input, file }: { input: ExpressiveCodeBlockOptions; file: { path?: string } },
  root: string = process.cwd(),
): ExpressiveCodeBlock {
  const { id, meta } = takeBlockId(input.meta);
  const ref = id && file.path ? { file: pageFile(file.path, root), ...id } : null;
  const verification = ref ? badgeData(loadVerifications().get(blockKey(ref)), ref) : undefined;
  return new ExpressiveCodeBlock({ ...input, meta, props: { ...input.props, verification } });
}

/**
 * Expressive Code's `getBlockLocale`: the locale of the block's page. Starlight's own looks for
 * pages under src/content/docs; the course's live in content/ (English under content/en/).
 */
export function blockLocale({ file }: { file: { path: string } }, root: string = process.cwd()): string {
  return localeOfFile(pageFile(file.path, root));
}

/** A page's path as the harness and the snapshot name it: relative to the project root, with `/`. */
function pageFile(file: string, root: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
