// The course's glossary and register (issue 20, "One voice"): one word per concept in the
// Spanish prose, US spelling in the English. A term lists what the prose must not say and what
// to say instead; code (inline or fenced), link URLs and bare URLs are never checked, so
// `dockerd`, `daemon.json` or `docker build` stay as they are.
//
// A term's `find` entries are whole words or phrases, matched case-insensitively; a space
// matches any whitespace, line breaks included, and `*` at the end of a word matches the rest of
// the word (`chequ*`: chequear, chequeamos, chequeo). A RegExp is used as it is (whole-word
// boundaries are added around it).
import type { Locale } from '../lib/course.ts';
import { frontmatterRuns, proseRuns } from '../lib/prose.ts';
import type { ProseRun } from '../lib/prose.ts';
import type { Root } from 'mdast';

export interface GlossaryTerm {
  find: (string | RegExp)[];
  /** The word to use instead: text, or made from what was found. */
  use: string | ((found: string) => string);
  /** Also allowed alone in italics, as a gloss of the term used: "el demonio (*daemon*)". */
  gloss?: boolean;
}

const FIRST_PERSON = 'nosotros: generamos, construimos, modificamos… (la narración va en primera persona del plural)';

export const GLOSSARY: Record<Locale, GlossaryTerm[]> = {
  es: [
    // El demonio de Docker; su primera mención puede glosarlo: «el demonio de Docker (*daemon*)».
    { find: ['daemon', 'daemons'], use: 'demonio', gloss: true },
    { find: ['builde*', /(?:el|un|al|del)\s+`?build`?/], use: 'construir / la construcción' },
    { find: ['legado', 'legada', 'legados', 'legadas', 'heredad*'], use: 'forma antigua' },
    { find: ['sólo'], use: 'solo' },
    { find: ['un terminal', 'el terminal', 'del terminal', 'al terminal'], use: 'una terminal / la terminal' },
    { find: ['chequ*'], use: 'comprobar / comprobamos' },
    { find: ['setup', 'setups'], use: 'configuración básica' },
    { find: ['registry', 'registries'], use: 'registro / registros' },
    // Neutral Spanish, addressed with «tú».
    { find: ['más chico', 'más chica', 'más chicos', 'más chicas'], use: 'más pequeño' },
    { find: ['saltea*'], use: 'se salta / saltar' },
    { find: ['a andar'], use: 'en marcha' },
    { find: ['podés', 'tenés', 'querés', 'sabés', 'fijate'], use: 'tú: puedes, tienes, quieres, sabes, fíjate' },
    { find: ['genero', 'construyo', 'modifico', 'ejecuto', 'agrego', 'instalo'], use: FIRST_PERSON },
  ],
  en: [
    {
      find: [
        /(?:organi|initiali|optimi|customi|recogni|summari|authori|synchroni|virtuali|containeri|normali|seriali|minimi|maximi|utili|reali|speciali|standardi|prioriti|visuali|finali)s(?:e|es|ed|ing|ation|ations|er|ers)/,
      ],
      use: (found) => found.replace(/s(?=(?:e|es|ed|ing|ation|ations|er|ers)$)/i, 'z'),
    },
    { find: [/analys(?:e|ed|ing)/], use: (found) => found.replace(/s(?=(?:e|ed|ing)$)/i, 'z') },
    { find: [/(?:travel|label|model|signal)l(?:ed|ing|er|ers)/], use: (found) => found.replace(/ll/i, 'l') },
    {
      find: [/(?:behavio|colo|favo|flavo|neighbo|hono|labo)u(?:r|rs|red|ring|rite|rites|rable|rhood)/],
      use: (found) => found.replace(/our/i, 'or'),
    },
    {
      find: ['centre', 'centres', 'centred', 'catalogue', 'catalogues', 'defence'],
      use: (found) =>
        ({ centre: 'center', centres: 'centers', centred: 'centered', catalogue: 'catalog', catalogues: 'catalogs', defence: 'defense' })[
          found.toLowerCase()
        ] ?? found,
    },
    { find: [/a\s+`?ubuntu/], use: 'an `ubuntu…` / an Ubuntu' },
  ],
};

export interface GlossaryProblem {
  line: number;
  found: string;
  use: string;
}

// Unicode-aware whole words: `\b` only knows ASCII, and Spanish words end in á, é, ñ…
const BEFORE = '(?<![\\p{L}\\p{N}_])';
const AFTER = '(?![\\p{L}\\p{N}_])';

function toPattern(entry: string | RegExp): RegExp {
  const body =
    typeof entry === 'string'
      ? entry
          .split(/\s+/)
          .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '*' ? '*' : `\\${c}`)).replace(/\*$/, '[\\p{L}\\p{N}]*'))
          .join('\\s+')
      : entry.source;
  return new RegExp(`${BEFORE}(?:${body})${AFTER}`, 'giu');
}

const inside = (spans: { start: number; end: number }[], start: number, end: number) => spans.some((s) => s.start <= start && end <= s.end);

/** Every use of a glossary term in one run of prose. */
export function glossaryProblemsInRun(run: ProseRun, terms: GlossaryTerm[]): GlossaryProblem[] {
  const problems: GlossaryProblem[] = [];
  for (const term of terms) {
    for (const entry of term.find) {
      for (const match of run.text.matchAll(toPattern(entry))) {
        const start = match.index;
        const end = start + match[0].length;
        if (inside(run.code, start, end)) continue;
        // `*daemon*` alone in italics: the gloss of the Spanish word beside it.
        if (term.gloss && run.emphasis.some((s) => s.start === start && s.end === end)) continue;
        const found = match[0].replace(/\s+/g, ' ');
        problems.push({ line: run.lineAt(start), found, use: typeof term.use === 'string' ? term.use : term.use(found) });
      }
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}

export interface GlossaryInput {
  locale: Locale;
  source: string;
  frontmatter: Record<string, unknown>;
  tree: Root;
}

/** Every glossary problem of a page: its frontmatter's texts and its Markdown prose. */
export function glossaryProblems(page: GlossaryInput): GlossaryProblem[] {
  const runs = [...frontmatterRuns(page.frontmatter, page.source), ...proseRuns(page.tree)];
  return runs.flatMap((run) => glossaryProblemsInRun(run, GLOSSARY[page.locale])).sort((a, b) => a.line - b.line);
}

/** `content/red.md:148: «daemon» → demonio` */
export function formatProblem(file: string, problem: GlossaryProblem): string {
  return `${file}:${problem.line}: «${problem.found}» → ${problem.use}`;
}
