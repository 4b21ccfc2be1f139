import posix from 'node:path/posix';
import { heredocs } from '../extract/recognise.ts';

// Which of the files a page wrote does a command use? A file block proves nothing by being
// written: it is judged by the first step that uses it (a `docker build` whose context holds
// it, a `docker compose up` that reads it, `python app.py`…). Pure: the command as typed, the
// shell's directory before it, and the files written so far (absolute paths in the lab).

export interface WrittenFile {
  /** Absolute path in the lab. */
  path: string;
  content: string;
}

/** Commands that look at a file or move it around without using what it says. */
const LOOKS_ONLY = new Set([
  'ls', 'rm', 'mkdir', 'rmdir', 'touch', 'chmod', 'chown', 'chgrp', 'mv', 'cp', 'ln', 'stat', 'test', '[', '[[', 'echo', 'printf',
  'cd', 'pushd', 'popd', 'which', 'type', 'cat', 'tac', 'head', 'tail', 'less', 'more', 'wc', 'grep', 'egrep', 'fgrep', 'diff',
  'file', 'du', 'tree', 'find', 'sha256sum', 'sha1sum', 'md5sum', 'nano', 'vi', 'vim', 'emacs', 'code', 'git', 'tar', 'zip',
  'unzip', 'realpath', 'readlink', 'basename', 'dirname', 'sort', 'uniq', 'cut', 'tr', 'od', 'xxd', 'hexdump',
]);

const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const COMPOSE_OVERRIDES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];
/** Options of `docker build` that take a value as the next word. */
const BUILD_VALUE_OPTS = new Set([
  '-t', '--tag', '-f', '--file', '--build-arg', '--target', '--platform', '--network', '--label', '--secret', '--ssh',
  '--cache-from', '--cache-to', '-o', '--output', '--progress', '--iidfile', '--add-host', '--build-context', '--shm-size',
  '-m', '--memory', '--memory-swap', '--cpu-shares', '-c', '--cpuset-cpus', '--cgroup-parent', '--ulimit', '--isolation',
  '--metadata-file', '--builder', '--attest', '--annotation', '--allow', '--call', '--sbom', '--provenance',
]);
/** Options of `docker compose` (before the subcommand) that take a value. */
const COMPOSE_VALUE_OPTS = new Set(['-f', '--file', '-p', '--project-name', '--project-directory', '--env-file', '--profile', '--ansi', '--progress', '--parallel']);
/** Options of `docker run`/`create` that take a value (the short ones by letter). */
const RUN_SHORT_VALUE = new Set(['a', 'c', 'e', 'h', 'l', 'm', 'p', 'u', 'v', 'w']);
const RUN_VALUE_OPTS = new Set([
  '--add-host', '--annotation', '--attach', '--blkio-weight', '--cap-add', '--cap-drop', '--cgroup-parent', '--cgroupns', '--cidfile',
  '--cpu-period', '--cpu-quota', '--cpu-shares', '--cpus', '--cpuset-cpus', '--cpuset-mems', '--detach-keys', '--device', '--dns',
  '--dns-option', '--dns-search', '--domainname', '--entrypoint', '--env', '--env-file', '--expose', '--gpus', '--group-add',
  '--health-cmd', '--health-interval', '--health-retries', '--health-start-period', '--health-timeout', '--hostname', '--ip',
  '--ip6', '--ipc', '--isolation', '--label', '--label-file', '--link', '--log-driver', '--log-opt', '--mac-address', '--memory',
  '--memory-reservation', '--memory-swap', '--mount', '--name', '--network', '--net', '--network-alias', '--oom-score-adj', '--pid',
  '--pids-limit', '--platform', '--publish', '--pull', '--restart', '--runtime', '--security-opt', '--shm-size', '--stop-signal',
  '--stop-timeout', '--storage-opt', '--sysctl', '--tmpfs', '--ulimit', '--user', '--userns', '--uts', '--volume', '--volume-driver',
  '--volumes-from', '--workdir',
]);
/** Options of `docker` itself that take a value. */
const DOCKER_VALUE_OPTS = new Set(['-H', '--host', '-c', '--context', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey']);

interface Word {
  text: string;
  /** `<` before it: the command reads it from standard input. */
  input: boolean;
  /** `>`/`>>` before it: the command writes it. */
  output: boolean;
  /** `>` (not `>>`): the command replaces it. */
  replaces: boolean;
}

/** The files of `files` that `command` uses, when the shell's directory before it is `cwd`. */
export function filesUsedBy(command: string, cwd: string, files: readonly WrittenFile[]): WrittenFile[] {
  if (files.length === 0) return [];
  const used = new Set<WrittenFile>();
  let dir = cwd;
  for (const words of simpleCommands(stripHeredocBodies(command), () => dir)) {
    const argv = words.filter((w) => !w.input && !w.output).map((w) => w.text);
    while (argv.length > 0 && /^[A-Za-z_]\w*=/.test(argv[0]!)) argv.shift();
    while (argv[0] === 'sudo' || argv[0] === 'time' || argv[0] === 'env' || argv[0] === 'exec' || argv[0] === 'command') {
      argv.shift();
      while (argv.length > 0 && (/^-/.test(argv[0]!) || /^[A-Za-z_]\w*=/.test(argv[0]!))) argv.shift();
    }
    const name = argv[0];
    if (name === undefined) continue;
    if (name === 'cd') {
      dir = resolve(dir, argv[1] ?? '/root');
      continue;
    }
    const at = (p: string) => resolve(dir, p);
    const mark = (pred: (f: WrittenFile) => boolean) => {
      for (const f of files) if (pred(f)) used.add(f);
    };
    const exactly = (p: string) => mark((f) => f.path === at(p));
    const within = (p: string) => mark((f) => f.path === at(p) || f.path.startsWith(`${at(p).replace(/\/$/, '')}/`));
    const matching = (base: string, glob: string) => {
      const root = resolve(base, glob.replace(/[*?[].*$/, '') || '.');
      const re = globRegex(resolve(base, glob));
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
    for (const w of words) if (w.replaces) out.push(resolve(dir, w.text));
    const argv = words.filter((w) => !w.input && !w.output).map((w) => w.text);
    if (argv[0] === 'cd') dir = resolve(dir, argv[1] ?? '/root');
  }
  return out;
}

/** The shell's directory after `command` (its `cd`s), as far as the page's text tells. */
export function directoryAfter(command: string, cwd: string): string {
  let dir = cwd;
  for (const words of simpleCommands(stripHeredocBodies(command), () => dir)) {
    const argv = words.filter((w) => !w.input && !w.output).map((w) => w.text);
    if (argv[0] === 'cd') dir = resolve(dir, argv[1] ?? '/root');
  }
  return dir;
}

interface Marks {
  exactly: (p: string) => void;
  within: (p: string) => void;
  /** Files of `dir` whose path relative to it matches a glob (`*.py`, `app/`). */
  matching: (dir: string, glob: string) => void;
}

/**
 * A build uses its Dockerfile and the files of its context that the Dockerfile copies (`COPY`,
 * `ADD`). A file that merely sits in the context proves nothing by the build passing. When the
 * page did not write the Dockerfile, what it copies is unknown: the whole context counts.
 */
function buildUses(context: string, dockerfile: string, files: readonly WrittenFile[], m: Marks): void {
  m.exactly(dockerfile);
  const df = files.find((f) => f.path === dockerfile);
  if (!df) {
    m.within(context);
    return;
  }
  for (const source of dockerfileSources(df.content)) m.matching(context, source);
}

/** The context paths a Dockerfile's `COPY`/`ADD` instructions copy (not `--from` a stage or image, not URLs). */
export function dockerfileSources(content: string): string[] {
  const sources: string[] = [];
  const joined = content.replace(/\\\r?\n/g, ' ').split('\n');
  for (const line of joined) {
    const m = /^\s*(?:COPY|ADD)\s+(.*)$/i.exec(line);
    if (!m) continue;
    let args: string[];
    const rest = m[1]!.trim();
    const flags = /^((?:--[\w-]+(?:=\S*)?\s+)*)(.*)$/.exec(rest)!;
    if (/--from=/.test(flags[1]!)) continue;
    try {
      args = flags[2]!.startsWith('[') ? (JSON.parse(flags[2]!) as string[]) : flags[2]!.split(/\s+/);
    } catch {
      args = flags[2]!.split(/\s+/);
    }
    // Heredoc sources (`COPY <<EOF /x`) and URLs come from nowhere in the context.
    for (const a of args.slice(0, -1)) if (!/^<<|^[a-z]+:\/\//.test(a)) sources.push(a);
  }
  return sources;
}

function dockerUses(args: string[], dir: string, files: readonly WrittenFile[], m: Marks): void {
  let [sub, ...rest] = args;
  if ((sub === 'image' || sub === 'container' || sub === 'buildx' || sub === 'builder') && rest.length > 0) {
    const [inner, ...more] = rest;
    if (sub === 'buildx' && inner !== 'build') return;
    sub = inner;
    rest = more;
  }
  switch (sub) {
    case 'build': {
      const { positionals, values } = options(rest, BUILD_VALUE_OPTS);
      const context = positionals.at(-1);
      const dockerfile = values.get('-f') ?? values.get('--file');
      if (!context || context === '-' || /^[a-z]+:\/\//.test(context)) {
        if (dockerfile && dockerfile !== '-') m.exactly(dockerfile);
        return;
      }
      buildUses(resolve(dir, context), resolve(dir, dockerfile ?? posix.join(context, 'Dockerfile')), files, m);
      return;
    }
    case 'compose':
      composeUses(rest, dir, files, m);
      return;
    case 'run':
    case 'create': {
      for (let i = 0; i < rest.length; i++) {
        const w = rest[i]!;
        if (!w.startsWith('-') || w === '-') break; // the image: what follows is the container's command
        let opt = w;
        let value: string | undefined;
        if (w.startsWith('--') && w.includes('=')) [opt, value] = [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)];
        else if (w.startsWith('--')) value = RUN_VALUE_OPTS.has(w) ? rest[++i] : undefined;
        else {
          // `-it`, `-dp 80:80`, `-v./x:/y`: only the last letter of a bundle may take a value.
          const letters = w.slice(1);
          const k = [...letters].findIndex((l) => RUN_SHORT_VALUE.has(l));
          if (k >= 0) [opt, value] = [`-${letters[k]}`, k < letters.length - 1 ? letters.slice(k + 1) : rest[++i]];
        }
        if (value === undefined) continue;
        if (opt === '-v' || opt === '--volume') {
          const source = value.split(':')[0]!;
          if (/^[./~]/.test(source)) m.within(source);
        } else if (opt === '--mount') {
          const fields = new Map(value.split(',').map((kv) => [kv.split('=')[0]!, kv.split('=').slice(1).join('=')]));
          const source = fields.get('source') ?? fields.get('src');
          if (fields.get('type') === 'bind' && source) m.within(source);
        } else if (opt === '--env-file' || opt === '--label-file') {
          m.exactly(value);
        }
      }
      return;
    }
    case 'cp': {
      const source = rest.filter((w) => !w.startsWith('-'))[0];
      if (source && !/^[\w.-]+:/.test(source)) m.within(source);
      return;
    }
    case 'load':
    case 'import': {
      const { positionals, values } = options(rest, new Set(['-i', '--input', '-c', '--change', '-m', '--message', '--platform']));
      const input = values.get('-i') ?? values.get('--input') ?? (sub === 'import' ? positionals[0] : undefined);
      if (input && input !== '-') m.exactly(input);
      return;
    }
  }
}

function composeUses(args: string[], dir: string, files: readonly WrittenFile[], m: Marks): void {
  const { positionals, values, all } = options(args, COMPOSE_VALUE_OPTS, true);
  const sub = positionals[0];
  if (sub === undefined || sub === 'version' || sub === 'ls') return;
  const projectDir = resolve(dir, values.get('--project-directory') ?? '.');
  const named = [...(all.get('-f') ?? []), ...(all.get('--file') ?? [])].map((f) => resolve(dir, f));
  const byPath = new Map(files.map((f) => [f.path, f]));
  const composeFiles = named.length > 0
    ? named
    : [COMPOSE_FILES.map((n) => posix.join(projectDir, n)).find((p) => byPath.has(p)), COMPOSE_OVERRIDES.map((n) => posix.join(projectDir, n)).find((p) => byPath.has(p))].filter((p): p is string => p !== undefined);
  m.within(posix.join(projectDir, '.env'));
  for (const file of composeFiles) {
    m.exactly(file);
    const written = byPath.get(file);
    if (!written) continue;
    const base = posix.dirname(file);
    const builds = sub === 'up' || sub === 'build' || sub === 'run' || sub === 'create';
    const refs = composeReferences(written.content, builds);
    for (const b of refs.builds) {
      const context = resolve(base, b.context);
      buildUses(context, resolve(context, b.dockerfile ?? 'Dockerfile'), files, m);
    }
    for (const ref of refs.paths) m.within(resolve(base, ref));
  }
}

/**
 * What a Compose file refers to on the host: build contexts with their Dockerfile (when the
 * command builds), bind-mounted sources, `env_file:` and `file:` entries. A light reading of
 * the YAML, enough for a lesson's Compose file.
 */
export function composeReferences(yaml: string, builds: boolean): { builds: { context: string; dockerfile: string | null }[]; paths: string[] } {
  const out = { builds: [] as { context: string; dockerfile: string | null }[], paths: [] as string[] };
  const unquote = (s: string) => s.trim().replace(/^["']|["']$/g, '');
  const lines = yaml.split('\n');
  lines.forEach((line, i) => {
    let m: RegExpExecArray | null;
    if ((m = /^(\s*)build:\s*(\S.*)?$/.exec(line))) {
      if (!builds) return;
      const inline = m[2] && !m[2].startsWith('#') ? unquote(m[2]) : null;
      if (inline !== null) {
        out.builds.push({ context: inline, dockerfile: null });
        return;
      }
      // `build:` with a mapping below it: its `context:` (default: the Compose file's folder) and `dockerfile:`.
      const indent = m[1]!.length;
      const below: string[] = [];
      for (const l of lines.slice(i + 1)) {
        if (l.trim() !== '' && /^\s*/.exec(l)![0].length <= indent) break;
        below.push(l);
      }
      const field = (k: string) => below.map((l) => new RegExp(`^\\s*${k}:\\s*(\\S+)`).exec(l)?.[1]).find((v) => v !== undefined);
      const context = field('context');
      const dockerfile = field('dockerfile');
      out.builds.push({ context: context ? unquote(context) : '.', dockerfile: dockerfile ? unquote(dockerfile) : null });
    } else if ((m = /^\s*-\s*["']?((?:\.{1,2}|~)?\/[^:"'\s]*|\.{1,2}):/.exec(line))) {
      out.paths.push(m[1]!);
    } else if ((m = /^\s*(?:source|file|env_file):\s*["']?(\.{1,2}\/[^"'\s]*|[\w.-]+\.(?:env|conf|json|ya?ml|txt|ini))["']?\s*$/.exec(line))) {
      out.paths.push(m[1]!);
    } else if ((m = /^\s*-\s*["']?(\.{1,2}\/[^"'\s:]*|[\w.-]*\.env)["']?\s*$/.exec(line)) && /env_file:\s*$/.test(lines[i - 1] ?? '')) {
      out.paths.push(m[1]!);
    }
  });
  return out;
}

/** Splits options from positionals; `all` keeps every value of a repeated option. */
function options(args: string[], valueOpts: Set<string>, stopAtFirstPositional = false) {
  const positionals: string[] = [];
  const values = new Map<string, string>();
  const all = new Map<string, string[]>();
  const set = (k: string, v: string) => {
    values.set(k, v);
    all.set(k, [...(all.get(k) ?? []), v]);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (stopAtFirstPositional && positionals.length > 0) {
      positionals.push(a);
      continue;
    }
    if (a.startsWith('--') && a.includes('=')) set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
    else if (valueOpts.has(a) && i + 1 < args.length) set(a, args[++i]!);
    else if (/^-[a-zA-Z]$/.test(a.slice(0, 2)) && valueOpts.has(a.slice(0, 2)) && a.length > 2) set(a.slice(0, 2), a.slice(2));
    else if (!a.startsWith('-') || a === '-') positionals.push(a);
  }
  return { positionals, values, all };
}

function skipOptions(args: string[], valueOpts: Set<string>): string[] {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i += valueOpts.has(args[i]!) ? 2 : 1;
  return args.slice(i);
}

/** `*` and `?` within a path segment, as Docker's COPY reads them. */
function globRegex(path: string): RegExp {
  const body = path.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}(?:/.*)?$`);
}

function resolve(dir: string, p: string): string {
  const home = p === '~' || p.startsWith('~/') ? `/root${p.slice(1)}` : p;
  return posix.resolve(dir, home);
}

/** Drops the bodies of heredocs: they are input, not commands. */
function stripHeredocBodies(command: string): string {
  const lines = command.split('\n');
  const out: string[] = [];
  const pending: { word: string; dash: boolean }[] = [];
  for (const line of lines) {
    if (pending.length > 0) {
      const d = pending[0]!;
      if ((d.dash ? line.replace(/^\t+/, '') : line).trimEnd() === d.word) pending.shift();
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
function* simpleCommands(text: string, cwd: () => string): Generator<Word[]> {
  const src = text.replace(/\\\n/g, ' ');
  let words: Word[] = [];
  let cur = '';
  let inWord = false;
  let redirect: 'input' | 'output' | 'append' | null = null;
  const endWord = () => {
    if (!inWord) return;
    words.push({ text: cur, input: redirect === 'input', output: redirect === 'output' || redirect === 'append', replaces: redirect === 'output' });
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
