import posix from 'node:path/posix';
import { READER_HOME } from '../model/reader.ts';
import { endsHeredoc, heredocs } from '../extract/recognise.ts';

// The words of a command line as the shell would split them, enough to tell which files a
// command names: its simple commands (split at `;`, `&&`, `|`…), each word unquoted, `$PWD`
// read as the directory, redirections marked. Pure.
//
// Why a small lexer of our own and not a shell parser (issue #22, measured 2026-12 on the 858
// host and container commands of content/ and the test pages; npm versions as installed):
//  - What this needs is a lexer's answer: words with their quotes removed, operators, which
//    word a redirection names. A parser's tree still has to be walked and unquoted (mvdan/sh's
//    Lit/SglQuoted/DblQuoted/ParamExp/CmdSubst parts, tree-sitter's string/raw_string/
//    concatenation nodes): about as much code as this, plus the dependency.
//  - Authors write commands a strict parser refuses and a reader understands: placeholders
//    (`docker run -d <image>`), an unclosed quote. mvdan-sh, sh-syntax and bash-parser throw on
//    both; this lexer still finds the words. (The course itself: all 858 parse in all of them.)
//  - sh-syntax 0.7.0 (mvdan/sh as WASM, 0.86 MB) has only an async API, which would make the
//    whole reading of a page (uses.ts, the planner, --plan) async; about 10 ms a parse when
//    warm, 45 s for the 858 commands on this loaded machine, against 14 ms for all of them here.
//  - mvdan-sh 0.10.1 (mvdan/sh through GopherJS, 1.5 MB, sync, ~1 ms a parse): its README
//    still builds it with Go 1.17; the only one here that would fit, and it throws (above).
//  - web-tree-sitter 0.27.2 + tree-sitter-bash 0.25.1: 25 MB installed (8.4 MB of native
//    prebuilds), async start; tolerant (ERROR nodes) but a concrete tree, not words.
//  - bash-parser 0.5.0: 21 dependencies (babylon 6 among them); throws on a heredoc whose body
//    has a parenthesis and on `<<<`.
//  - shell-quote 1.12.0 is a tokenizer: no heredocs (their bodies come back as words) and no
//    `$(pwd)` (split into `$`, `(`, `pwd`, `)`).
// So: kept; test/unit/uses.test.ts pins its cases through filesUsedBy.

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
