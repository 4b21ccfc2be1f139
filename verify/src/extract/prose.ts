import type { Nodes, Parent } from 'mdast';
import { visit } from 'unist-util-visit';

// The name a page gives a file in the sentence before it: "Creamos el archivo
// `docker-compose.yml`:" followed by the file's block. Pure.

export type NameKind = 'dockerfile' | 'yaml' | 'json' | 'python' | 'javascript' | 'php' | 'ini' | 'toml' | 'sql' | 'html' | 'text' | 'shell';

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
  dockerfile: 'dockerfile', docker: 'dockerfile', containerfile: 'dockerfile',
  yaml: 'yaml', yml: 'yaml',
  json: 'json', jsonc: 'json',
  python: 'python', py: 'python',
  javascript: 'javascript', js: 'javascript',
  php: 'php',
  ini: 'ini', conf: 'ini', nginx: 'ini',
  toml: 'toml',
  sql: 'sql',
  html: 'html',
  text: 'text', txt: 'text', plaintext: 'text',
};

/** A relative path with no `..`: what a lesson can ask a reader to create. */
const SAFE_PATH = /^(?!.*(?:^|\/)\.\.(?:\/|$))[\w.-]+(?:\/[\w.-]+)*$/;

/**
 * The last file name of the wanted kind written in code (`…`) in the paragraph right before
 * the block at `index` of `parent`, or null.
 */
export function nameFromProse(parent: Parent | null, index: number, kind: NameKind): string | null {
  const before = parent?.children[index - 1] as Nodes | undefined;
  if (!before || before.type !== 'paragraph') return null;
  const names: string[] = [];
  visit(before, 'inlineCode', (n) => {
    names.push(n.value.trim());
  });
  return names.filter((n) => SAFE_PATH.test(n) && NAME_PATTERNS[kind].test(n)).at(-1) ?? null;
}
