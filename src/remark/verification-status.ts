import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Code, Nodes, Root } from 'mdast';
import { loadVerifications } from '../verification/report-index.ts';

export const VERIFIED_META = 'curso-verified';

// Attaches each fenced block's verification (from the verify report) to its fence meta, where
// the Expressive Code badge plugin reads it. Blocks are matched by file and fence line, the
// key the harness reports; Astro hands remark the body without its frontmatter, so lines are
// shifted back by the difference between the file and the body.
export function verificationStatus(opts: { root?: string } = {}) {
  const root = opts.root ?? process.cwd();
  return () => (tree: Root, file: { path?: string; value?: unknown }) => {
    if (!file.path) return;
    const verifications = loadVerifications();
    const rel = path.relative(root, file.path).split(path.sep).join('/');
    // English pages live under `en/`; Expressive Code is not told the page's locale.
    const lang = rel.split('/').includes('en') ? 'en' : 'es';
    const offset = bodyOffset(readFileSync(file.path, 'utf8'), String(file.value ?? ''));
    visit(tree, (node) => {
      const line = (node.position?.start.line ?? 0) + offset;
      const v = verifications.get(`${rel}:${line}`);
      const value = [v?.status ?? 'unverified', v?.checkedAt ?? '', encodeURIComponent(v?.reason ?? ''), lang].join('|');
      node.meta = `${node.meta ?? ''} ${VERIFIED_META}="${value}"`.trim();
    });
  };
}

/** How many source lines precede the body remark sees (frontmatter and blank lines Astro strips). */
export function bodyOffset(source: string, body: string): number {
  const src = source.split(/\r?\n/);
  const lines = body.split(/\r?\n/);
  const k = lines.findIndex((l) => l.trim() !== '');
  if (k < 0) return 0;
  const fm = src[0]?.trim() === '---' ? src.findIndex((l, i) => i > 0 && l.trim() === '---') : -1;
  const j = src.findIndex((l, i) => i > fm && l === lines[k]);
  return j < 0 ? 0 : j - k;
}

function visit(node: Nodes, fn: (code: Code) => void): void {
  if (node.type === 'code') fn(node);
  if ('children' in node) for (const child of node.children) visit(child as Nodes, fn);
}
