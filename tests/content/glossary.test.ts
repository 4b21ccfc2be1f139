// The glossary as a content rule: every Spanish page keeps one word per concept and the «tú» /
// «nosotros» register, every English page US spelling (tests/content/glossary.ts). Code, link
// URLs and bare URLs are never checked.
import { describe, expect, it } from 'vitest';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { loadCoursePages, splitFrontmatter } from '../lib/course.ts';
import type { Locale } from '../lib/course.ts';
import { formatProblem, glossaryProblems } from './glossary.ts';

/** The problems of a page written inline, as `file:line: «found» → use`. */
function check(locale: Locale, markdown: string): string[] {
  const { data, body } = splitFrontmatter(markdown);
  return glossaryProblems({ locale, source: markdown, frontmatter: data, tree: fromMarkdown(body) }).map((p) =>
    formatProblem('page.md', p),
  );
}

describe('the glossary rule', () => {
  it('flags a forbidden word in prose, with its line and the word to use', () => {
    expect(check('es', 'Primera línea.\n\nEsto es sólo un ejemplo.\n')).toEqual(['page.md:3: «sólo» → solo']);
  });

  it('passes the same word in inline code and in a fenced block', () => {
    expect(check('es', 'Ejecuta `echo sólo` y mira.\n\n```console\n$ echo sólo un terminal\nsólo un terminal\n```\n')).toEqual([]);
  });

  it('checks link text but not link URLs, nor bare URLs', () => {
    expect(check('es', 'Mira la [variante](#variante-heredada) y https://docs.docker.com/registry/ aquí.\n')).toEqual([]);
    expect(check('es', 'Mira la [variante heredada](#variante).\n')).toEqual(['page.md:1: «heredada» → forma antigua']);
  });

  it('flags bare «daemon» but allows the italic gloss *daemon*', () => {
    expect(check('es', 'El demonio de Docker (*daemon*) corre como root.\n')).toEqual([]);
    expect(check('es', 'El daemon corre como root; su archivo es `daemon.json`.\n')).toEqual(['page.md:1: «daemon» → demonio']);
    expect(check('es', 'Es *el daemon de Docker*.\n')).toEqual(['page.md:1: «daemon» → demonio']);
  });

  it("gives the line of a word on a paragraph's continuation line, and finds phrases across a line break", () => {
    expect(check('es', 'Una línea\ny otra con un\nterminal nuevo.\n')).toEqual(['page.md:2: «un terminal» → una terminal / la terminal']);
  });

  it('flags "hacer el `build`" though `build` is code, and not `docker build` alone', () => {
    expect(check('es', 'Para hacer el `build` usamos `docker build .`.\n')).toEqual([
      'page.md:1: «el `build`» → construir / la construcción',
    ]);
    expect(check('es', 'Construimos la imagen con `docker build -t web .`.\n')).toEqual([]);
  });

  it('reads the register: first person singular, voseo and regionalisms', () => {
    expect(check('es', '**Genero un nuevo Dockerfile**\n\nSi podés, que sea más chico. Se saltea un paso.\n')).toEqual([
      'page.md:1: «Genero» → nosotros: generamos, construimos, modificamos… (la narración va en primera persona del plural)',
      'page.md:3: «más chico» → más pequeño',
      'page.md:3: «saltea» → se salta / saltar',
      'page.md:3: «podés» → tú: puedes, tienes, quieres, sabes, fíjate',
    ]);
  });

  it('checks headings, list items and the frontmatter', () => {
    expect(check('es', '---\ntitle: Chequear el setup\ndescription: Todo bien.\n---\n\n## Un registry\n\n- El setup básico\n')).toEqual([
      'page.md:2: «Chequear» → comprobar / comprobamos',
      'page.md:2: «setup» → configuración básica',
      'page.md:6: «registry» → registro / registros',
      'page.md:8: «setup» → configuración básica',
    ]);
  });

  it('checks the text of HTML blocks (MDX cards), not their markup or link targets', () => {
    expect(check('es', '<CardGrid>\n\t<Card title="Sólo esto">\n\t\tVer [la forma](/legado/).\n\t</Card>\n</CardGrid>\n')).toEqual([
      'page.md:2: «Sólo» → solo',
    ]);
  });

  it('keeps to whole words, accents included', () => {
    expect(check('es', 'Solo una terminal: la llegada del contenedor. Demonio. Sólido.\n')).toEqual([]);
  });

  it('in English, flags British spellings and "a `ubuntu`", with the US form', () => {
    expect(
      check(
        'en',
        'We organised it, then initialised and travelled. Its behaviour and colours.\n\nStart from a `ubuntu:14.04` container.\n',
      ),
    ).toEqual([
      'page.md:1: «organised» → organized',
      'page.md:1: «initialised» → initialized',
      'page.md:1: «travelled» → traveled',
      'page.md:1: «behaviour» → behavior',
      'page.md:1: «colours» → colors',
      'page.md:3: «a `ubuntu» → an `ubuntu…` / an Ubuntu',
    ]);
    expect(check('en', 'An `ubuntu:14.04` container; we optimize; `colour` in code; the analyses; an organism.\n')).toEqual([]);
  });

  it("does not apply one locale's glossary to the other", () => {
    expect(check('en', 'The Docker daemon and its registry setup.\n')).toEqual([]);
    expect(check('es', 'Se llama behaviour en inglés: *behaviour*.\n')).toEqual([]);
  });
});

describe.each(loadCoursePages().map((page) => [page.file, page] as const))('%s', (_file, page) => {
  it(page.locale === 'es' ? 'keeps the Spanish glossary and register' : 'uses US spelling', () => {
    expect(glossaryProblems(page).map((p) => formatProblem(page.file, p))).toEqual([]);
  });
});
