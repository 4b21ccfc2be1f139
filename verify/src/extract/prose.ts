import type { Nodes, Parent } from 'mdast';
import { visit } from 'unist-util-visit';

// The name a page gives a file in the sentence before it: "Creamos el archivo
// `docker-compose.yml`:" followed by the file's block. Pure.

export type NameKind =
  | 'dockerfile'
  | 'yaml'
  | 'json'
  | 'python'
  | 'javascript'
  | 'php'
  | 'ini'
  | 'toml'
  | 'sql'
  | 'html'
  | 'text'
  | 'shell';

const NAME_PATTERNS: Record<NameKind, RegExp> = {
  dockerfile: /(?:^|\/)(?:Dockerfile|Containerfile)(?:[.-][\w.-]+)?$|\.(?:dockerfile|containerfile)$/i,
  yaml: /\.ya?ml$/i,
  json: /\.json$/i,
  python: /\.py$/,
  javascript: /\.[cm]?js$/,
  php: /\.php$/,
  ini: /\.(?:ini|conf|cfg)$/,
  toml: /\.toml$/,
  sql: /\.sql$/,
  html: /\.html?$/,
  text: /\.txt$/,
  shell: /\.(?:sh|bash)$/,
};

/** The fence languages whose untitled blocks are files when the sentence before names one. */
export const LANG_NAME_KIND: Record<string, NameKind> = {
  dockerfile: 'dockerfile',
  docker: 'dockerfile',
  containerfile: 'dockerfile',
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  jsonc: 'json',
  python: 'python',
  py: 'python',
  javascript: 'javascript',
  js: 'javascript',
  php: 'php',
  ini: 'ini',
  conf: 'ini',
  nginx: 'ini',
  toml: 'toml',
  sql: 'sql',
  html: 'html',
  text: 'text',
  txt: 'text',
  plaintext: 'text',
};

/** A relative path with no `..`: what a lesson can ask a reader to create. */
const SAFE_PATH = /^(?!.*(?:^|\/)\.\.(?:\/|$))[\w.-]+(?:\/[\w.-]+)*$/;

/**
 * The file name of the wanted kind that the paragraph right before the block at `index` of
 * `parent` gives, or null. Authors write it in code ("Creamos el archivo `compose.yaml`:"), in
 * emphasis or bold ("Crear el archivo *docker-compose.yml*"), or plainly ("Guarda esto como
 * app.py:"); code is the surest, then emphasis, then plain words. The last one of the surest
 * form wins: the sentence names the file just before showing it.
 */
export function nameFromProse(parent: Parent | null, index: number, kind: NameKind): string | null {
  const before = parent?.children[index - 1] as Nodes | undefined;
  if (before?.type !== 'paragraph') return null;
  const fits = (n: string) => SAFE_PATH.test(n) && NAME_PATTERNS[kind].test(n);
  const inCode: string[] = [];
  const emphasised: string[] = [];
  const plain: string[] = [];
  visit(before, (n: Nodes, _i, up) => {
    if (n.type === 'inlineCode') inCode.push(n.value.trim());
    if (n.type !== 'text') return;
    const words = wordsOf(n.value);
    if (up && (up.type === 'emphasis' || up.type === 'strong')) emphasised.push(words.join(' ').trim(), ...words);
    else plain.push(...words);
  });
  for (const names of [inCode, emphasised, plain]) {
    const found = names.filter(fits).at(-1);
    if (found) return found;
  }
  return null;
}

/** A text's words, without the punctuation that ends a sentence or wraps a name ("app.py:"). */
function wordsOf(text: string): string[] {
  return text
    .split(/\s+/)
    .map((w) => w.replace(/^[«"'“(¿¡]+|[»"'”).,;:!?]+$/g, ''))
    .filter(Boolean);
}
