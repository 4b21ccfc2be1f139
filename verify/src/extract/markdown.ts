import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Code } from 'mdast';
import { visit } from 'unist-util-visit';
import type { Annotations } from '../model/annotations.ts';
import { AnnotationError, parseAnnotations } from '../model/annotations.ts';
import type { Block, InvalidBlock, Page } from '../model/plan.ts';
import { blockIds, type BlockId } from '../model/block-id.ts';
import type { SkipCause } from '../model/cause.ts';
import { MetaSyntaxError, parseFenceMeta } from './meta.ts';
import { parsePrompt } from './prompts.ts';
import { LANG_NAME_KIND, nameFromProse, type NameKind } from './prose.ts';
import { recognise, type FileFormat } from './recognise.ts';
import { SessionSyntaxError, parseSession } from './session.ts';

/** Fence languages read as a shell (untagged too); the site's copy button uses the same list. */
export const SHELL_LANGS: ReadonlySet<string> = new Set([
  '',
  'console',
  'shell',
  'sh',
  'bash',
  'shellsession',
  'shell-session',
  'zsh',
  'terminal',
]);
const DOCKERFILE_LANGS = new Set(['dockerfile', 'docker', 'containerfile']);
const FORMAT_NAME_KIND: Record<FileFormat, NameKind> = { dockerfile: 'dockerfile', compose: 'yaml', yaml: 'yaml', json: 'json' };

/** Reads every fenced code block of a Markdown page into the harness's plan. Pure; never throws. */
export function extractPage(file: string, source: string): Page {
  const tree = fromMarkdown(source);
  const rawLines = source.split(/\r\n|\r|\n/);
  const ids = blockIds(tree);
  const blocks: Block[] = [];
  visit(tree, 'code', (node, index, parent) => {
    // Indented code (4 spaces) is not a fence: it cannot carry a language, so it is not ours.
    // A fence's node starts at its marker; indented code starts at its indentation.
    const marker = /^(`{3,}|~{3,})/.exec(source.slice(node.position!.start.offset!, node.position!.start.offset! + 200))?.[1];
    if (!marker) return;
    blocks.push(toBlock(file, node, ids.get(node)!, rawLines, marker, (kind) => nameFromProse(parent ?? null, index ?? 0, kind)));
  });
  return { file, blocks };
}

function toBlock(
  file: string,
  node: Code,
  id: BlockId,
  rawLines: string[],
  marker: string,
  proseName: (kind: NameKind) => string | null,
): Block {
  const line = node.position!.start.line;
  const endLine = node.position!.end.line;
  const lang = (node.lang ?? '').toLowerCase();
  const meta = node.meta ?? '';
  const { code, lines } = dedent(node.value);
  // What every kind of block has; the rest depends on how it is read.
  const base: Omit<InvalidBlock, 'kind' | 'error'> = {
    file,
    line,
    endLine,
    digest: id.digest,
    occurrence: id.occurrence,
    lang,
    meta,
    title: null,
    annotations: {},
    code,
    indent: indentInFile(rawLines, line, lines),
    recognised: null,
  };
  const invalid = (error: string, more: Partial<typeof base> = {}): Block => ({ kind: 'invalid', ...base, ...more, error });

  // Closed by a fence of the same character, at least as long, alone on its line (after the
  // blockquote or list prefix); otherwise the block ran to the end of its container.
  const closing = (rawLines[endLine - 1] ?? '').slice(0, node.position!.end.column - 1);
  const closes = new RegExp(`^[\\s>]*\\${marker[0]}{${marker.length},}\\s*$`);
  // …and indented less than 4 columns past the opening fence (a tab counts to the next stop
  // of 4), as CommonMark says: a deeper "fence" is the block's own text.
  const openCol = columns((rawLines[line - 1] ?? '').slice(0, node.position!.start.column - 1));
  const closeCol = columns(closing.slice(0, Math.max(0, closing.indexOf(marker[0]!))));
  if (endLine === line || !closes.test(closing) || closeCol >= openCol + 4) {
    return invalid(`unclosed code fence (opened at line ${line})`);
  }

  let annotations: Annotations;
  let title: string | null = null;
  try {
    const entries = parseFenceMeta(meta);
    annotations = parseAnnotations(entries);
    const t = entries.find((e) => e.key === 'title')?.value;
    title = typeof t === 'string' ? t : null;
  } catch (e) {
    if (e instanceof AnnotationError || e instanceof MetaSyntaxError) return invalid(e.message);
    throw e;
  }

  const reading = readAs(lang, title, annotations, lines, line + 1, proseName);
  const read = { ...base, title, annotations, recognised: reading.recognised };
  if ('error' in reading) return invalid(reading.error, read);
  if (reading.kind === 'display') return { kind: 'display', ...read, skip: reading.skip };
  const skip = annotations['verify-skip'] !== undefined ? { skip: { kind: 'author-skip' as const, text: annotations['verify-skip'] } } : {};
  if (reading.kind === 'file') return { kind: 'file', ...read, writeTo: reading.writeTo, ...skip };
  try {
    return { kind: 'session', ...read, steps: parseSession(lines, line + 1, { implicit: reading.implicit, annotations }), ...skip };
  } catch (e) {
    if (e instanceof SessionSyntaxError) return invalid(`line ${e.line}: ${e.message}`, read);
    throw e;
  }
}

/**
 * What stands before the block's text on its lines in the file: a list's or quote's prefix and
 * the indentation `dedent` removed, read off the first line that has text (`lines` are dedented).
 */
function indentInFile(rawLines: string[], fenceLine: number, lines: string[]): string {
  const i = lines.findIndex((l) => l.trim() !== '');
  if (i < 0) return '';
  const raw = rawLines[fenceLine + i] ?? '';
  const text = lines[i]!;
  return raw.endsWith(text) ? raw.slice(0, raw.length - text.length) : /^\s*/.exec(raw)![0];
}

type Reading = { recognised: string | null } & (
  | { kind: 'session'; implicit: boolean }
  | { kind: 'file'; writeTo: string }
  | { kind: 'display'; skip: SkipCause }
  | { kind: 'invalid'; error: string }
);

/**
 * Decides what a block is: an annotation first (`verify-as`, `verify-file`), then a title, then
 * the fence's language, and, for a shell or unlabelled fence with no prompt, its content.
 */
function readAs(
  lang: string,
  title: string | null,
  annotations: Annotations,
  lines: string[],
  firstLine: number,
  proseName: (kind: NameKind) => string | null,
): Reading {
  const as = annotations['verify-as'];
  const named = annotations['verify-file'] ?? title;
  if (annotations['verify-file'] !== undefined && as !== undefined && as !== 'file') {
    return { kind: 'invalid', recognised: null, error: `verify-file writes the block to a file, which contradicts verify-as=${as}` };
  }
  if (as === 'session') return { kind: 'session', implicit: false, recognised: 'read as commands (verify-as=session)' };
  if (as === 'output') return { kind: 'display', recognised: 'verify-as=output', skip: { kind: 'shown-output', annotated: true } };
  if (as === 'display')
    return { kind: 'display', recognised: 'verify-as=display', skip: { kind: 'display', annotated: true, lang, looksLike: null } };
  if (named !== null) {
    const by = annotations['verify-file'] !== undefined ? 'verify-file' : null;
    return { kind: 'file', writeTo: named, recognised: by };
  }

  const shell = SHELL_LANGS.has(lang);
  const hasPrompt = lines.some((l) => parsePrompt(l, false) !== null);
  if (as === 'file') {
    const r = shell && !hasPrompt ? recognise(lines) : null;
    const format = r?.as === 'file' ? r.format : DOCKERFILE_LANGS.has(lang) ? 'dockerfile' : null;
    const kind: NameKind | undefined = format ? FORMAT_NAME_KIND[format] : shell ? 'shell' : LANG_NAME_KIND[lang];
    const name = (kind ? proseName(kind) : null) ?? (format === 'dockerfile' ? 'Dockerfile' : null);
    if (name === null) {
      return {
        kind: 'invalid',
        recognised: 'verify-as=file',
        error:
          'verify-as=file needs the file\'s name: title="…", verify-file="…", or the name in code (`name`) in the sentence before the block',
      };
    }
    return { kind: 'file', writeTo: name, recognised: 'verify-as=file' };
  }

  if (DOCKERFILE_LANGS.has(lang)) {
    const name = proseName('dockerfile');
    return { kind: 'file', writeTo: name ?? 'Dockerfile', recognised: name ? `its name, \`${name}\`, from the sentence before` : null };
  }
  if (shell) {
    if (hasPrompt) return { kind: 'session', implicit: false, recognised: null };
    const r = recognise(lines);
    switch (r.as) {
      case 'commands':
        return { kind: 'session', implicit: false, recognised: null };
      case 'commands-with-output':
        return { kind: 'session', implicit: true, recognised: r.why };
      case 'output':
        return { kind: 'display', recognised: `output: ${r.why}`, skip: { kind: 'shown-output', annotated: false } };
      case 'unclear':
        return { kind: 'invalid', recognised: null, error: `line ${firstLine + r.index}: ${r.why}` };
      case 'file': {
        const name = proseName(FORMAT_NAME_KIND[r.format]);
        if (name !== null) return { kind: 'file', writeTo: name, recognised: `${r.why}; its name, \`${name}\`, from the sentence before` };
        if (r.format === 'dockerfile') return { kind: 'file', writeTo: 'Dockerfile', recognised: r.why };
        if (r.format === 'compose') return composeByDefault(r.why);
        return { kind: 'display', recognised: r.why, skip: { kind: 'display', annotated: false, lang, looksLike: r.format } };
      }
    }
  }
  const kind = LANG_NAME_KIND[lang];
  const name = kind ? proseName(kind) : null;
  if (name !== null) return { kind: 'file', writeTo: name, recognised: `its name, \`${name}\`, from the sentence before` };
  if (kind === 'yaml') {
    const r = recognise(lines);
    if (r.as === 'file' && r.format === 'compose') return composeByDefault(r.why);
  }
  return { kind: 'display', recognised: null, skip: { kind: 'display', annotated: false, lang, looksLike: null } };
}

/**
 * A Compose file the prose gives no name: written under the name `docker compose` looks for
 * first, as a reader who copies it into a new folder would save it.
 */
function composeByDefault(why: string): Reading {
  return { kind: 'file', writeTo: 'compose.yaml', recognised: `${why}; no name given: written as \`compose.yaml\`, Compose's default` };
}

/** How many columns a line prefix takes; a tab advances to the next stop of 4. */
function columns(prefix: string): number {
  let w = 0;
  for (const ch of prefix) w = ch === '\t' ? w + 4 - (w % 4) : w + 1;
  return w;
}

/** Removes the indentation common to all non-blank lines (many course blocks indent by two). */
export function dedent(value: string): { code: string; lines: string[]; indent: string } {
  const lines = value.split('\n').map((l) => l.replace(/\r$/, ''));
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0]);
  const indent =
    indents.reduce<string | null>((common, cur) => {
      if (common === null) return cur;
      let i = 0;
      while (i < common.length && i < cur.length && common[i] === cur[i]) i++;
      return common.slice(0, i);
    }, null) ?? '';
  const stripped = lines.map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
  return { code: stripped.join('\n'), lines: stripped, indent };
}
