// The prose of a course page, as the content rules read it: the text a reader reads, without
// fenced code, link URLs or raw HTML markup. Each run is the text of one paragraph, heading,
// table cell (table rows are paragraphs here: no GFM), image alt, HTML block or frontmatter field,
// with its inline code kept in backticks but marked, so a rule can tell "hacer el `build`"
// (prose around code) from `docker build` (code only).
import type { Nodes, PhrasingContent, Root } from 'mdast';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';

export interface Span {
  start: number;
  end: number;
}

export interface ProseRun {
  /** Text nodes as they are; inline code as `value`; a hard break as a newline. */
  text: string;
  /** Where inline code and bare URLs are in `text` (a rule ignores what lies wholly inside one). */
  code: Span[];
  /** Where italic text is in `text`, for glosses such as `*daemon*`. */
  emphasis: Span[];
  /** The source line of an offset in `text`. */
  lineAt(offset: number): number;
}

interface Piece {
  start: number;
  line: number;
  value: string;
}

class RunBuilder {
  text = '';
  code: Span[] = [];
  emphasis: Span[] = [];
  private pieces: Piece[] = [];
  private readonly fallbackLine: number;

  constructor(fallbackLine: number) {
    this.fallbackLine = fallbackLine;
  }

  add(value: string, line: number | undefined, kind: 'text' | 'code' = 'text'): void {
    const start = this.text.length;
    this.pieces.push({ start, line: line ?? this.lastLine(), value });
    this.text += value;
    if (kind === 'code') this.code.push({ start, end: this.text.length });
  }

  private lastLine(): number {
    const last = this.pieces.at(-1);
    return last ? last.line + (last.value.match(/\n/g)?.length ?? 0) : this.fallbackLine;
  }

  build(): ProseRun {
    const pieces = this.pieces;
    const fallback = this.fallbackLine;
    // Bare URLs (no GFM autolinks here: they stay text) are addresses, not prose.
    for (const match of this.text.matchAll(/\b(?:https?|ftp):\/\/[^\s<>()`]+/gi)) {
      this.code.push({ start: match.index, end: match.index + match[0].length });
    }
    return {
      text: this.text,
      code: this.code,
      emphasis: this.emphasis,
      lineAt(offset: number): number {
        let piece: Piece | undefined;
        for (const p of pieces) if (p.start <= offset) piece = p;
        if (!piece) return fallback;
        return piece.line + (piece.value.slice(0, offset - piece.start).match(/\n/g)?.length ?? 0);
      },
    };
  }
}

const startLine = (node: { position?: { start: { line: number } } }) => node.position?.start.line;

/** The prose runs of a Markdown tree, in document order. */
export function proseRuns(tree: Root): ProseRun[] {
  const runs: ProseRun[] = [];
  visit(tree, (node: Nodes) => {
    switch (node.type) {
      case 'paragraph':
      case 'heading':
      case 'tableCell': {
        const run = new RunBuilder(startLine(node) ?? 1);
        for (const child of node.children) addPhrasing(child, run, runs);
        runs.push(run.build());
        return 'skip';
      }
      case 'image':
        // An image outside a paragraph (rare): its alt text is prose.
        runs.push(textRun(node.alt ?? '', startLine(node) ?? 1));
        return 'skip';
      case 'html':
        runs.push(...htmlRuns(node.value, startLine(node) ?? 1));
        return 'skip';
      case 'code':
      case 'definition':
      case 'yaml':
        return 'skip';
      default:
        return undefined;
    }
  });
  return runs;
}

function addPhrasing(node: PhrasingContent, run: RunBuilder, runs: ProseRun[]): void {
  switch (node.type) {
    case 'text':
      run.add(node.value, startLine(node));
      return;
    case 'inlineCode':
      run.add(`\`${node.value}\``, startLine(node), 'code');
      return;
    case 'break':
      run.add('\n', startLine(node));
      return;
    case 'emphasis': {
      const start = run.text.length;
      for (const child of node.children) addPhrasing(child, run, runs);
      run.emphasis.push({ start, end: run.text.length });
      return;
    }
    case 'image':
    case 'imageReference':
      runs.push(textRun(node.alt ?? '', startLine(node) ?? 1));
      return;
    case 'html':
      // Inline HTML (`<kbd>`, `<br>`): its markup is not prose; the text around it is.
      return;
    default:
      // strong, delete, link, linkReference…: their text, never their URL.
      if ('children' in node) for (const child of node.children as PhrasingContent[]) addPhrasing(child, run, runs);
  }
}

/** Plain text (an alt, a frontmatter field) as a run; `backticks` still mark code. */
export function textRun(text: string, line: number): ProseRun {
  const run = new RunBuilder(line);
  run.add(text, line);
  for (const match of text.matchAll(/`[^`\n]*`/g)) run.code.push({ start: match.index, end: match.index + match[0].length });
  return run.build();
}

/**
 * An HTML block (in MDX: `<Card title="…">…</Card>`): its text and its title/alt/label
 * attributes. Markdown inside it stays raw text, so link targets `](…)` are dropped.
 */
function htmlRuns(html: string, firstLine: number): ProseRun[] {
  const runs: ProseRun[] = [];
  const lineOf = (node: { position?: { start: { line: number } } }) => firstLine + (startLine(node) ?? 1) - 1;
  visit(fromHtml(html, { fragment: true }), (node) => {
    if (node.type === 'text') {
      const text = node.value.replace(/\]\([^)\s]*\)/g, ']');
      if (text.trim()) runs.push(textRun(text, lineOf(node)));
    } else if (node.type === 'element') {
      for (const name of ['title', 'alt', 'label', 'ariaLabel']) {
        const value = node.properties[name];
        if (typeof value === 'string' && value.trim()) runs.push(textRun(value, lineOf(node)));
      }
      if (node.tagName === 'code' || node.tagName === 'pre' || node.tagName === 'script' || node.tagName === 'style') return 'skip';
    }
    return undefined;
  });
  return runs;
}

/** The frontmatter's reader-facing strings (title, description, hero texts…), each at its line. */
export function frontmatterRuns(frontmatter: Record<string, unknown>, source: string): ProseRun[] {
  const runs: ProseRun[] = [];
  const NOT_PROSE = new Set(['link', 'href', 'file', 'src', 'icon', 'variant', 'template', 'slug', 'attrs', 'tag']);
  const lines = source.split('\n');
  const lineOf = (value: string) => {
    const probe = value.slice(0, 30);
    const index = lines.findIndex((l) => l.includes(probe));
    return index === -1 ? 1 : index + 1;
  };
  const walk = (value: unknown, key: string) => {
    if (NOT_PROSE.has(key)) return;
    if (typeof value === 'string') runs.push(textRun(value, lineOf(value)));
    else if (Array.isArray(value)) for (const item of value) walk(item, key);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(frontmatter, '');
  return runs;
}
