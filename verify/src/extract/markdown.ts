import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Code, Nodes } from 'mdast';
import type { Annotations } from '../model/annotations.ts';
import { AnnotationError, parseAnnotations } from '../model/annotations.ts';
import type { Block, BlockKind, Page } from '../model/plan.ts';
import { blockDigest } from '../model/digest.ts';
import { MetaSyntaxError, parseFenceMeta } from './meta.ts';
import { SessionSyntaxError, parseSession } from './session.ts';

const SHELL_LANGS = new Set(['', 'console', 'shell', 'sh', 'bash', 'shellsession', 'shell-session', 'zsh', 'terminal']);
const DOCKERFILE_LANGS = new Set(['dockerfile', 'docker', 'containerfile']);

/** Reads every fenced code block of a Markdown page into the harness's plan. Pure. */
export function extractPage(file: string, source: string): Page {
  const tree = fromMarkdown(source);
  const rawLines = source.split(/\r?\n/);
  const blocks: Block[] = [];
  visitCode(tree, (node) => {
    const line = node.position!.start.line;
    // Indented code (4 spaces) is not a fence: it cannot carry a language, so it is not ours.
    if (!/^\s*(`{3,}|~{3,})/.test(rawLines[line - 1] ?? '')) return;
    blocks.push(toBlock(file, node, rawLines));
  });
  return { file, blocks };
}

function visitCode(node: Nodes, fn: (code: Code) => void): void {
  if (node.type === 'code') fn(node);
  if ('children' in node) for (const child of node.children) visitCode(child as Nodes, fn);
}

function toBlock(file: string, node: Code, rawLines: string[]): Block {
  const line = node.position!.start.line;
  const endLine = node.position!.end.line;
  const lang = (node.lang ?? '').toLowerCase();
  const meta = node.meta ?? '';
  const { code, lines } = dedent(node.value);
  const base: Block = {
    file,
    line,
    endLine,
    digest: blockDigest(node.lang, node.meta, node.value),
    lang,
    meta,
    kind: classify(lang, null),
    title: null,
    annotations: {},
    code,
    skipReason: null,
    error: null,
    writeTo: null,
    steps: [],
  };

  const closing = rawLines[endLine - 1] ?? '';
  if (endLine === line || !/^\s*(?:>\s*)*(`{3,}|~{3,})\s*$/.test(closing)) {
    return { ...base, error: `unclosed code fence (opened at line ${line})` };
  }

  let annotations: Annotations;
  let title: string | null = null;
  try {
    const entries = parseFenceMeta(meta);
    annotations = parseAnnotations(entries);
    const t = entries.find((e) => e.key === 'title')?.value;
    title = typeof t === 'string' ? t : null;
  } catch (e) {
    if (e instanceof AnnotationError || e instanceof MetaSyntaxError) return { ...base, error: e.message };
    throw e;
  }

  const kind = classify(lang, title);
  const block: Block = { ...base, kind, title, annotations };
  if (kind === 'display') {
    return { ...block, skipReason: `display only: a \`${lang || 'text'}\` block with no title="…" file name` };
  }
  if (annotations['verify-skip']) block.skipReason = annotations['verify-skip'];
  if (kind === 'file') return { ...block, writeTo: title ?? 'Dockerfile' };
  try {
    return { ...block, steps: parseSession(lines, line + 1) };
  } catch (e) {
    if (e instanceof SessionSyntaxError) return { ...block, error: `line ${e.line}: ${e.message}` };
    throw e;
  }
}

function classify(lang: string, title: string | null): BlockKind {
  // A titled shell block is a script the reader saves, not a session they type.
  if (title !== null) return 'file';
  if (SHELL_LANGS.has(lang)) return 'session';
  if (DOCKERFILE_LANGS.has(lang)) return 'file';
  return 'display';
}

/** Removes the indentation common to all non-blank lines (many course blocks indent by two). */
export function dedent(value: string): { code: string; lines: string[]; indent: string } {
  const lines = value.split('\n').map((l) => l.replace(/\r$/, ''));
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0]);
  const indent = indents.reduce<string | null>((common, cur) => {
    if (common === null) return cur;
    let i = 0;
    while (i < common.length && i < cur.length && common[i] === cur[i]) i++;
    return common.slice(0, i);
  }, null) ?? '';
  const stripped = lines.map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
  return { code: stripped.join('\n'), lines: stripped, indent };
}
