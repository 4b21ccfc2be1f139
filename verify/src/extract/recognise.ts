// What a shell-labelled (or unlabelled) fence with no prompt really holds. Authors put files
// and output in such fences too: a Compose file or a Dockerfile in a ```bash fence, the table
// `docker ps` printed after "ejecutamos `docker ps` y veremos:". None of those lines is a
// command, and none must ever be typed into a shell. Pure.

export type Recognised =
  /** Every line is a command (or a comment): a plain list of commands with no documented output. */
  | { as: 'commands' }
  /** Commands followed by their output, without prompts: the harness tells them apart line by line. */
  | { as: 'commands-with-output'; why: string }
  | { as: 'file'; format: FileFormat; why: string }
  | { as: 'output'; why: string }
  /** Output before any command: there is no reading of it that is safe to type. */
  | { as: 'unclear'; index: number; why: string };

export type FileFormat = 'dockerfile' | 'compose' | 'yaml' | 'json';

const PARSER_DIRECTIVE = /^#\s*(?:syntax|escape|check)\s*=/i;
const YAML_KEY = /^(?:[A-Za-z_][\w.-]*|"[^"]+"|'[^']+'):(?:\s|$)/;
/** A header row: two or more columns of upper-case words (`CONTAINER ID   IMAGE   COMMAND`). */
const TABLE_HEADER = /^[A-Z][A-Z0-9_]*(?: [A-Z][A-Z0-9_()]*)*(?:(?:\s{2,}|\t)[A-Z][A-Z0-9_]*(?: [A-Z][A-Z0-9_()]*)*)+\s*$/;
/** `ls -l`: a mode string, or its `total 12` line. */
const LONG_LISTING = /^(?:[-dlcbps][rwxsStT-]{9}[.+@]?\s|total \d+$)/;
/** `tree`'s branches. */
const TREE = /^(?:[├└│]|\.$)/;

export function recognise(lines: readonly string[]): Recognised {
  const significant = lines.map((text, index) => ({ text: text.trim(), index })).filter((l) => l.text !== '');
  if (significant.length === 0) return { as: 'commands' };
  const first = significant.find((l) => !l.text.startsWith('#') || PARSER_DIRECTIVE.test(l.text));

  if (first && TABLE_HEADER.test(first.text) && !first.text.includes('=')) {
    const header = first.text
      .split(/\s{2,}|\t/)
      .slice(0, 2)
      .join(' ');
    return { as: 'output', why: `a table with the header row \`${header} …\`` };
  }
  if (significant.every((l) => LONG_LISTING.test(l.text) || TREE.test(l.text))) {
    return { as: 'output', why: 'a listing of files' };
  }
  const dockerfile = asDockerfile(significant);
  if (dockerfile) return { as: 'file', format: 'dockerfile', why: dockerfile };
  const json = asJson(lines.join('\n'));
  if (json) return { as: 'file', format: 'json', why: json };
  const yaml = asYaml(lines);
  if (yaml) return { as: 'file', format: yaml.format, why: yaml.why };

  const units = commandUnits(lines);
  const commands = units.filter((u) => u.type === 'command');
  const output = units.filter((u) => u.type === 'output');
  const interrupts = units.filter((u) => u.type === 'interrupt');
  if (commands.length === 0) {
    if (interrupts.length === 0 && output.length === 0) return { as: 'commands' };
    if (output.length > 0) return { as: 'output', why: describeOutput(output[0]!.text) };
    return { as: 'unclear', index: interrupts[0]!.from, why: '`^C` before any command' };
  }
  if (output.length === 0 && interrupts.length === 0) return { as: 'commands' };
  const firstUnit = units.find((u) => u.type === 'command' || u.type === 'output' || u.type === 'interrupt')!;
  if (firstUnit.type === 'interrupt') return { as: 'unclear', index: firstUnit.from, why: '`^C` before any command' };
  if (firstUnit.type === 'output') {
    return {
      as: 'unclear',
      index: firstUnit.from,
      why: `\`${clip(firstUnit.text.trim())}\` is not a command, and it comes before any command: mark the commands with \`$ \` prompts, or annotate the fence (verify-as=output, verify-as=session)`,
    };
  }
  return { as: 'commands-with-output', why: 'commands followed by their output, without prompts (told apart line by line)' };
}

function asDockerfile(significant: { text: string }[]): string | null {
  if (PARSER_DIRECTIVE.test(significant[0]!.text) && /syntax/i.test(significant[0]!.text)) {
    return 'a Dockerfile (it starts with a `# syntax=` directive)';
  }
  const first = significant.find((l) => !l.text.startsWith('#'));
  const m = first && /^(FROM|ARG)\s+\S/.exec(first.text);
  return m ? `a Dockerfile (its first instruction is \`${m[1]}\`)` : null;
}

function asJson(text: string): string | null {
  const t = text.trim();
  if (!/^[[{]/.test(t)) return null;
  try {
    JSON.parse(t);
  } catch {
    return null;
  }
  return t.startsWith('{') ? 'a JSON document (an object)' : 'a JSON document (an array)';
}

function asYaml(lines: readonly string[]): { format: 'compose' | 'yaml'; why: string } | null {
  const top = lines.filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#') && !/^\s/.test(l));
  const first = top[0];
  if (!first || !YAML_KEY.test(first)) return null;
  // Every line at the margin must be YAML too: a key, a list item, or a document marker.
  if (!top.every((l) => YAML_KEY.test(l) || /^- /.test(l) || /^(?:---|\.\.\.)\s*$/.test(l))) return null;
  const keys = top.filter((l) => YAML_KEY.test(l)).map((l) => l.slice(0, l.indexOf(':')).replace(/^["']|["']$/g, ''));
  if (keys.includes('services')) return { format: 'compose', why: 'a Compose file (it has a top-level `services:`)' };
  return { format: 'yaml', why: `a YAML document (it starts with \`${keys[0]}:\`)` };
}

export interface Unit {
  type: 'command' | 'output' | 'comment' | 'blank' | 'interrupt';
  /** Index of the first and last line of the unit (a command may span continuation lines and a heredoc). */
  from: number;
  to: number;
  text: string;
}

/**
 * Splits a prompt-less block into commands (with their `\` continuation lines and heredoc
 * bodies), output lines, comments, blank lines and `^C`.
 */
export function commandUnits(lines: readonly string[]): Unit[] {
  const units: Unit[] = [];
  let i = 0;
  while (i < lines.length) {
    const text = lines[i]!;
    const t = text.trim();
    if (t === '') units.push({ type: 'blank', from: i, to: i, text });
    else if (/^\^C/.test(t)) units.push({ type: 'interrupt', from: i, to: i, text });
    else if (t.startsWith('#')) units.push({ type: 'comment', from: i, to: i, text });
    else if (!looksLikeCommand(t)) units.push({ type: 'output', from: i, to: i, text });
    else {
      const end = commandEnd(lines, i);
      units.push({ type: 'command', from: i, to: end, text: lines.slice(i, end + 1).join('\n') });
      i = end + 1;
      continue;
    }
    i++;
  }
  return units;
}

/** Index of the last line of the command starting at `start`: `\` continuations and heredoc bodies. */
export function commandEnd(lines: readonly string[], start: number): number {
  let i = start;
  const delimiters: { word: string; dash: boolean }[] = [];
  for (;;) {
    const line = lines[i]!;
    delimiters.push(...heredocs(line));
    if (!line.endsWith('\\') || i + 1 >= lines.length) break;
    i++;
  }
  for (const d of delimiters) {
    let j = i + 1;
    while (j < lines.length && !endsHeredoc(lines[j]!.replace(/^> /, ''), d)) j++;
    // An unterminated heredoc takes the rest of the block, as bash would.
    i = Math.min(j, lines.length - 1);
  }
  return i;
}

/**
 * The one rule for where a heredoc ends: a line that is its delimiter word, after the leading
 * tabs `<<-` strips, trailing spaces aside. `line` is what the shell reads: a page that shows
 * bash's `> ` continuation prompt has it removed by the caller.
 */
export function endsHeredoc(line: string, d: { word: string; dash: boolean }): boolean {
  return (d.dash ? line.replace(/^\t+/, '') : line).trimEnd() === d.word;
}

/** The delimiters of the heredocs a command line opens (`<<EOF`, `<<-'END'`; not `<<<` strings). */
export function heredocs(line: string): { word: string; dash: boolean }[] {
  return [...line.matchAll(/(?<!<)<<(?!<)(-?)\s*(['"]?)([A-Za-z_][\w-]*)\2/g)].map((m) => ({ word: m[3]!, dash: m[1] === '-' }));
}

const COMMAND_WORD =
  /^(?:[a-z_][a-z0-9_.+-]*|\.{1,2}\/\S*|\/[\w.+/-]+|~\/?\S*|\$\{?[A-Za-z_(]\S*|[A-Za-z_]\w*(?:\[[^\]]*\])?\+?=\S*|\(|\{|\[\[?|!|\.|:)$/;

/**
 * True when a line reads as something a reader types. Commands start with a lower-case name, a
 * path, a variable assignment or shell syntax; output starts with anything else: a capital
 * (`Hello from Docker!`, `CONTAINER ID`), a digit, an ID, `key:`, punctuation, an elision.
 */
export function looksLikeCommand(line: string): boolean {
  const t = line.trim();
  if (t === '' || t === '...' || t.includes('[..]') || /^-->.*<--\s*$/.test(t)) return false;
  const word = /^\S+/.exec(t)![0];
  if (!COMMAND_WORD.test(word)) return false;
  // Lower-case words that are output: IDs, `ls -l` modes.
  if (/^[0-9a-f]{12,}$/.test(word) || /^[-dlcbps][rwxsStT-]{9}[.+@]?$/.test(word)) return false;
  return true;
}

function describeOutput(first: string): string {
  return `\`${clip(first.trim())}\` is not a command`;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
