import {
  ExpressiveCodeAnnotation,
  PluginStyleSettings,
  PluginTexts,
  ensureColorContrastOnBackground,
  mix,
  type AnnotationRenderOptions,
  type ExpressiveCodePlugin,
} from '@expressive-code/core';
import { h } from '@expressive-code/core/hast';
import { extractPage, SHELL_LANGS } from '../../verify/src/index.ts';

// The harness's elisions are test syntax (verify/docs/annotations.md): in documented output,
// `[..]` matches any text within a line and a line `...` any number of lines. A reader should
// never see them raw. In the output lines of a shell session, as the harness itself reads the
// block, this plugin renders each `[..]` as a small muted "…" pill and each `...` line as one
// marker line, both explained in the page's language ("varía en cada máquina"): as the visible
// text of a line marker, as a tooltip (title) and as the accessible name, and, for an inline
// pill, as text it shows while focused (it is in the tab order, so a keyboard reader gets it
// too). The code itself is not edited: the copy button still copies what copy-commands-only
// gives it, and the badge and the status page still find the block by its content.
// Commands (and heredoc bodies typed with them), files and blocks of other languages are
// untouched: a `...` in a Dockerfile or a YAML file is not harness syntax.

type Texts = { varies: string; moreLines: string; moreLinesLabel: string };

export const elidedTexts = new PluginTexts<Texts>({
  varies: 'differs on every machine',
  moreLines: '… (more lines that vary)',
  moreLinesLabel: 'more lines that differ on every machine',
});
elidedTexts.addLocale('es', {
  varies: 'varía en cada máquina',
  moreLines: '… (más líneas que varían)',
  moreLinesLabel: 'más líneas que varían en cada máquina',
});

/** Where an elision sits in a block: its 0-based line and its column range in that line. */
export interface Elision {
  kind: 'inline' | 'lines';
  line: number;
  columnStart: number;
  columnEnd: number;
}

/**
 * The elisions the harness reads in a block's documented output, in the order they appear.
 * Reads the block with the harness's own extractor (as the only block of a page), so what is
 * output and what is a command is decided exactly as when the block is verified: the lines of
 * each step's documented output (and what follows `^C`), and every line of a block shown as
 * output without its command. Not a block of a shell language: none. Pure.
 */
export function elisionsOf(code: string, lang: string, meta = ''): Elision[] {
  if (!SHELL_LANGS.has(lang)) return [];
  const lines = code.split('\n');
  // A tilde fence longer than any the code holds, so the code cannot close it; tildes also let
  // the info string carry backticks (verify-skip="… `cmd` …").
  const longest = Math.max(0, ...lines.map((l) => /^\s*(~*)/.exec(l)![1]!.length));
  const fence = '~'.repeat(Math.max(3, longest + 1));
  const info = [lang, meta].filter(Boolean).join(' ');
  const source = `${fence}${info}\n${code}\n${fence}\n`;
  const [block] = extractPage('elided-output.md', source).blocks;
  // Page line of the block's first code line; code line i is page line FIRST + i.
  const FIRST = 2;
  const output = new Set<number>();
  if (block?.kind === 'session') {
    for (const step of block.steps) {
      const after = step.outcome.expect === 'interrupted' ? step.outcome.after : null;
      for (const range of [step.expected, after]) {
        if (range) for (let l = range.startLine; l <= range.endLine; l++) output.add(l - FIRST);
      }
    }
  } else if (block?.kind === 'display' && block.skip.kind === 'shown-output') {
    for (let i = 0; i < lines.length; i++) output.add(i);
  }
  const found: Elision[] = [];
  lines.forEach((text, line) => {
    if (!output.has(line)) return;
    if (text.trim() === '...') {
      const columnStart = text.indexOf('...');
      found.push({ kind: 'lines', line, columnStart, columnEnd: columnStart + 3 });
      return;
    }
    for (let at = text.indexOf('[..]'); at !== -1; at = text.indexOf('[..]', at + 4)) {
      found.push({ kind: 'inline', line, columnStart: at, columnEnd: at + 4 });
    }
  });
  return found;
}

class ElisionAnnotation extends ExpressiveCodeAnnotation {
  readonly name = 'curso-docker:elided-output';
  readonly elision: Elision;
  readonly texts: Texts;
  constructor(elision: Elision, texts: Texts) {
    // Last, so the syntax highlighting's pieces of `[..]` are merged into one node first.
    super({ inlineRange: { columnStart: elision.columnStart, columnEnd: elision.columnEnd }, renderPhase: 'latest' });
    this.elision = elision;
    this.texts = texts;
  }

  render({ nodesToTransform }: AnnotationRenderOptions) {
    const t = this.texts;
    const marker =
      this.elision.kind === 'inline'
        ? // In the tab order: focused, it shows its explanation (CSS below) for keyboard and touch.
          h('span.curso-elided', { role: 'img', tabindex: '0', title: t.varies, 'aria-label': t.varies }, '…')
        : h('span.curso-elided.curso-elided-lines', { role: 'img', title: t.moreLinesLabel, 'aria-label': t.moreLinesLabel }, t.moreLines);
    // The range's text is replaced: the marker takes the first node's place, the others empty.
    return nodesToTransform.map((_, i) => (i === 0 ? marker : h(null, [])));
  }
}

declare module '@expressive-code/core' {
  export interface StyleSettings {
    cursoElided: { background: string; foreground: string; border: string };
  }
}

// Per theme, from the code's own colours: a faint pill, muted text that still reads at 5:1 on it.
const styleSettings = new PluginStyleSettings({
  defaultValues: {
    cursoElided: {
      background: ({ resolveSetting }) => mix(resolveSetting('codeBackground'), resolveSetting('codeForeground'), 0.1),
      foreground: ({ resolveSetting }) =>
        ensureColorContrastOnBackground(
          mix(resolveSetting('codeForeground'), resolveSetting('codeBackground'), 0.35),
          resolveSetting('cursoElided.background'),
          5,
          6,
        ),
      border: ({ resolveSetting }) => mix(resolveSetting('codeBackground'), resolveSetting('codeForeground'), 0.35),
    },
  },
});

export function elidedOutput(): ExpressiveCodePlugin {
  return {
    name: 'curso-docker:elided-output',
    styleSettings,
    baseStyles: ({ cssVar }) => `
      .curso-elided {
        display: inline-block;
        padding: 0 0.4em;
        border: 1px solid ${cssVar('cursoElided.border')};
        border-radius: 999px;
        background: ${cssVar('cursoElided.background')};
        color: ${cssVar('cursoElided.foreground')};
        line-height: 1.2;
        cursor: help;
      }
      .curso-elided-lines, .curso-elided::after { font-style: italic; }
      .curso-elided:focus { outline: 2px solid ${cssVar('cursoElided.foreground')}; outline-offset: 1px; }
      /* Focused (keyboard, or a tap), an inline pill says what it stands for. */
      .curso-elided:not(.curso-elided-lines):focus::after { content: ' ' attr(aria-label); }
    `,
    hooks: {
      annotateCode: ({ codeBlock, locale }) => {
        const elisions = elisionsOf(codeBlock.code, codeBlock.language, codeBlock.meta);
        if (elisions.length === 0) return;
        const texts = elidedTexts.get(locale);
        const lines = codeBlock.getLines();
        for (const elision of elisions) lines[elision.line]?.addAnnotation(new ElisionAnnotation(elision, texts));
      },
    },
  };
}
