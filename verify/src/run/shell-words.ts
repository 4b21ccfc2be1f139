import posix from 'node:path/posix';
import { READER_HOME } from '../model/reader.ts';
import { endsHeredoc, heredocs } from '../extract/recognise.ts';

// The words of a command line as the shell would split them, enough to tell which files a
// command names: its simple commands (split at `;`, `&&`, `|`…), each word unquoted, `$PWD`
// read as the directory, redirections marked. Pure.

export interface Word {
  text: string;
  /** `<` before it: the command reads it from standard input. */
  input: boolean;
  /** `>`/`>>` before it: the command writes it. */
  output: boolean;
  /** `>` (not `>>`): the command replaces it. */
  replaces: boolean;
}

/** A path as the reader's shell resolves it from `dir` (`~` is the reader's home in the lab). */
export function resolvePath(dir: string, p: string): string {
  const home = p === '~' || p.startsWith('~/') ? `${READER_HOME}${p.slice(1)}` : p;
  return posix.resolve(dir, home);
}

/** The words of a simple command, without the files its redirections name. */
export function argvOf(words: readonly Word[]): string[] {
  return words.filter((w) => !w.input && !w.output).map((w) => w.text);
}

/** Drops the bodies of heredocs: they are input, not commands. */
export function stripHeredocBodies(command: string): string {
  const lines = command.split('\n');
  const out: string[] = [];
  const pending: { word: string; dash: boolean }[] = [];
  for (const line of lines) {
    if (pending.length > 0) {
      const d = pending[0]!;
      if (endsHeredoc(line, d)) pending.shift();
      continue;
    }
    out.push(line);
    pending.push(...heredocs(line));
  }
  return out.join('\n');
}

/**
 * A small shell lexer: the simple commands of a command line (split at `;`, `&&`, `||`, `|`,
 * `&`, newlines and parentheses), each as its words with quotes removed, `$PWD`/`$(pwd)` read
 * as the directory, and redirections marked.
 */
export function* simpleCommands(text: string, cwd: () => string): Generator<Word[]> {
  const src = text.replace(/\\\n/g, ' ');
  let words: Word[] = [];
  let cur = '';
  let inWord = false;
  let redirect: 'input' | 'output' | 'append' | null = null;
  const endWord = () => {
    if (!inWord) return;
    words.push({
      text: cur,
      input: redirect === 'input',
      output: redirect === 'output' || redirect === 'append',
      replaces: redirect === 'output',
    });
    redirect = null;
    cur = '';
    inWord = false;
  };
  const endCommand = function* () {
    endWord();
    if (words.length > 0) yield words;
    words = [];
    redirect = null;
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const rest = src.slice(i, i + 6);
    if (c === '\\' && i + 1 < src.length) {
      cur += src[i + 1];
      inWord = true;
      i += 2;
    } else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      cur += end < 0 ? src.slice(i + 1) : src.slice(i + 1, end);
      inWord = true;
      i = end < 0 ? src.length : end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) {
          s += src[j + 1];
          j += 2;
        } else if (src.startsWith('$PWD', j) || src.startsWith('${PWD}', j) || src.startsWith('$(pwd)', j)) {
          s += cwd();
          j += src.startsWith('$PWD', j) ? 4 : 6;
        } else s += src[j++];
      }
      cur += s;
      inWord = true;
      i = j + 1;
    } else if (rest.startsWith('$PWD') || rest.startsWith('${PWD}') || rest.startsWith('$(pwd)') || rest.startsWith('`pwd`')) {
      cur += cwd();
      inWord = true;
      i += rest.startsWith('$PWD') ? 4 : rest.startsWith('`pwd`') ? 5 : 6;
    } else if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '\n' || c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      if (c === '&' && src[i + 1] === '>') {
        endWord();
        redirect = 'output';
        i += src[i + 2] === '>' ? 3 : 2;
        continue;
      }
      yield* endCommand();
      i += (c === '&' || c === '|') && src[i + 1] === c ? 2 : 1;
    } else if (c === '<' || c === '>') {
      // `2>&1`, `>&2`: a descriptor, not a file.
      if (/^\d+$/.test(cur)) {
        cur = '';
        inWord = false;
      }
      endWord();
      const dup = /^(?:<<<?|>>?|<)&?\d*-?/.exec(src.slice(i))![0];
      i += dup.length;
      if (/&\d*-?$/.test(dup)) continue;
      redirect = dup.startsWith('<<') ? null : c === '<' ? 'input' : dup.startsWith('>>') ? 'append' : 'output';
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  yield* endCommand();
}
