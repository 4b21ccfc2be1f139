import type { ExpressiveCodePlugin } from '@expressive-code/core';
import { h } from '@expressive-code/core/hast';
import { VERIFIED_META } from '../remark/verification-status.ts';

// Puts under every code block a visible sign of whether the example was verified against a
// real Docker engine, and when. The status comes from the verify report (see the
// verificationStatus remark plugin); the full reason is in the title.

type Key = 'passed' | 'failed' | 'skipped' | 'display' | 'error' | 'unverified';

const TEXT: Record<'es' | 'en', Record<Key, string>> = {
  es: {
    passed: '✓ Verificado el {date}',
    failed: '✗ Desactualizado: no se cumplió el {date}',
    skipped: '○ No se ejecuta: {reason}',
    display: '○ Solo se muestra (no se ejecuta)',
    error: '! No se pudo verificar el {date}',
    unverified: '○ Aún sin verificar',
  },
  en: {
    passed: '✓ Verified on {date}',
    failed: '✗ Out of date: did not hold on {date}',
    skipped: '○ Not run: {reason}',
    display: '○ Display only (not run)',
    error: '! Could not be verified on {date}',
    unverified: '○ Not verified yet',
  },
};

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
    `,
    hooks: {
      postprocessRenderedBlock: ({ codeBlock, renderData }) => {
        const raw = codeBlock.metaOptions.getString(VERIFIED_META) ?? 'unverified';
        const [status = 'unverified', checkedAt = '', encodedReason = '', page = 'es'] = raw.split('|');
        const lang = page === 'en' ? 'en' : 'es';
        const reason = decodeURIComponent(encodedReason);
        const key: Key = status === 'skipped' && reason.startsWith('display only') ? 'display' : (status as Key);
        const date = checkedAt
          ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(checkedAt))
          : '';
        const text = (TEXT[lang][key] ?? TEXT[lang].unverified).replace('{date}', date).replace('{reason}', reason);
        const badge = h(
          'p',
          { className: 'curso-verify', 'data-status': key, 'data-checked': checkedAt || undefined, title: reason || undefined },
          text,
        );
        renderData.blockAst.children.push(badge);
      },
    },
  };
}
