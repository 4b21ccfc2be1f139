import posix from 'node:path/posix';
import { skipOptions } from './command-options.ts';
import { dockerUses, DOCKER_VALUE_OPTS } from './docker-uses.ts';
import { argvOf, resolvePath, simpleCommands, stripHeredocBodies } from './shell-words.ts';

// Which of the files a page wrote does a command use? A file block proves nothing by being
// written: it is judged by the first step that uses it (a `docker build` whose context holds
// it, a `docker compose up` that reads it, `python app.py`…). Pure: the command as typed, the
// shell's directory before it, and the files written so far (absolute paths in the lab).
// The docker commands are read by docker-uses.ts, compose-uses.ts and build-uses.ts.

export interface WrittenFile {
  /** Absolute path in the lab. */
  path: string;
  content: string;
}

/** How the readers of a command mark the files it uses (paths as the command names them, from the shell's directory). */
export interface Marks {
  exactly: (p: string) => void;
  within: (p: string) => void;
  /** Files of `dir` whose path relative to it matches a glob (`*.py`, `app/`). */
  matching: (dir: string, glob: string) => void;
}

/** Commands that look at a file or move it around without using what it says. */
const LOOKS_ONLY = new Set([
  'ls',
  'rm',
  'mkdir',
  'rmdir',
  'touch',
  'chmod',
  'chown',
  'chgrp',
  'mv',
  'cp',
  'ln',
  'stat',
  'test',
  '[',
  '[[',
  'echo',
  'printf',
  'cd',
  'pushd',
  'popd',
  'which',
  'type',
  'cat',
  'tac',
  'head',
  'tail',
  'less',
  'more',
  'wc',
  'grep',
  'egrep',
  'fgrep',
  'diff',
  'file',
  'du',
  'tree',
  'find',
  'sha256sum',
  'sha1sum',
  'md5sum',
  'nano',
  'vi',
  'vim',
  'emacs',
  'code',
  'git',
  'tar',
  'zip',
  'unzip',
  'realpath',
  'readlink',
  'basename',
  'dirname',
  'sort',
  'uniq',
  'cut',
  'tr',
  'od',
  'xxd',
  'hexdump',
]);

/** The files of `files` that `command` uses, when the shell's directory before it is `cwd`. */
export function filesUsedBy(command: string, cwd: string, files: readonly WrittenFile[]): WrittenFile[] {
  if (files.length === 0) return [];
  const used = new Set<WrittenFile>();
  let dir = cwd;
  for (const words of simpleCommands(stripHeredocBodies(command), () => dir)) {
    const argv = argvOf(words);
    while (argv.length > 0 && /^[A-Za-z_]\w*=/.test(argv[0]!)) argv.shift();
    while (argv[0] === 'sudo' || argv[0] === 'time' || argv[0] === 'env' || argv[0] === 'exec' || argv[0] === 'command') {
      argv.shift();
      while (argv.length > 0 && (/^-/.test(argv[0]!) || /^[A-Za-z_]\w*=/.test(argv[0]!))) argv.shift();
    }
    const name = argv[0];
    if (name === undefined) continue;
    if (name === 'cd') {
      dir = resolvePath(dir, argv[1] ?? '~');
      continue;
    }
    const at = (p: string) => resolvePath(dir, p);
    const mark = (pred: (f: WrittenFile) => boolean) => {
      for (const f of files) if (pred(f)) used.add(f);
    };
    const exactly = (p: string) => mark((f) => f.path === at(p));
    const within = (p: string) => mark((f) => f.path === at(p) || f.path.startsWith(`${at(p).replace(/\/$/, '')}/`));
    const matching = (base: string, glob: string) => {
      const root = resolvePath(base, glob.replace(/[*?[].*$/, '') || '.');
      const re = globRegex(resolvePath(base, glob));
      mark((f) => re.test(f.path) || f.path === root || f.path.startsWith(`${root.replace(/\/$/, '')}/`));
    };

    if (!LOOKS_ONLY.has(posix.basename(name))) for (const w of words) if (w.input) exactly(w.text);
    if (name === 'docker' || name === 'docker-compose') {
      const args = name === 'docker-compose' ? ['compose', ...argv.slice(1)] : skipOptions(argv.slice(1), DOCKER_VALUE_OPTS);
      dockerUses(args, dir, files, { exactly, within, matching });
      continue;
    }
    if (LOOKS_ONLY.has(posix.basename(name))) continue;
    // Anything else that names the file uses it: `python app.py`, `./run.sh`, `bash x.sh`,
    // `curl -d @body.json`, `--config=app.ini`.
    for (const arg of argv) {
      for (const candidate of [arg, arg.replace(/^@/, ''), arg.slice(arg.indexOf('=') + 1)]) {
        if (candidate !== '' && !candidate.startsWith('-')) exactly(candidate);
      }
    }
  }
  return files.filter((f) => used.has(f));
}

/** Files `command` replaces with `>` (a heredoc, an echo): what the page wrote there before is gone. */
export function filesReplacedBy(command: string, cwd: string): string[] {
  const out: string[] = [];
  let dir = cwd;
  for (const words of simpleCommands(stripHeredocBodies(command), () => dir)) {
    for (const w of words) if (w.replaces) out.push(resolvePath(dir, w.text));
    const argv = argvOf(words);
    if (argv[0] === 'cd') dir = resolvePath(dir, argv[1] ?? '~');
  }
  return out;
}

/** The shell's directory after `command` (its `cd`s), as far as the page's text tells. */
export function directoryAfter(command: string, cwd: string): string {
  let dir = cwd;
  for (const words of simpleCommands(stripHeredocBodies(command), () => dir)) {
    const argv = argvOf(words);
    if (argv[0] === 'cd') dir = resolvePath(dir, argv[1] ?? '~');
  }
  return dir;
}

/** `*` and `?` within a path segment, as Docker's COPY reads them. */
function globRegex(path: string): RegExp {
  const body = path
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}(?:/.*)?$`);
}
