import type { Annotations } from '../model/annotations.ts';
import type { PromptKind, Step } from '../model/plan.ts';
import { stepOutcome } from './outcome.ts';
import { opensInteractiveSession, parsePrompt, type PromptedLine } from './prompts.ts';
import { commandEnd, endsHeredoc, heredocs, looksLikeCommand } from './recognise.ts';

export class SessionSyntaxError extends Error {
  readonly line: number;

  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

interface Draft {
  line: number;
  promptKind: PromptKind;
  prompt: string;
  command: string;
  continuing: boolean;
  /** Heredocs the command opened whose delimiter has not been seen yet. */
  heredocs: { word: string; dash: boolean }[];
  output: { text: string; line: number }[];
  interrupt: boolean;
  /** What the page shows after `^C` (null: no `^C`). */
  after: { text: string; line: number }[] | null;
}

export interface SessionOptions {
  /**
   * The block has no prompts but mixes commands and their output: commands are told from
   * output line by line (extract/recognise.ts), as if each command had a `$ ` prompt.
   */
  implicit?: boolean;
  /** The block's annotations that say how its steps end. */
  annotations?: Pick<Annotations, 'verify-fails' | 'verify-background'>;
}

/**
 * Splits a shell-session block into steps. `lines` are the block's dedented lines and
 * `firstLine` the file line of the first of them.
 *
 * Lines after a prompt are what the reader types; lines up to the next prompt are what they
 * see. `^C` on its own line is where the reader interrupts the command; what follows it, up to
 * the next prompt, is what the program prints on its way out. A block without any prompt is a
 * plain list of commands with no documented output (unless `implicit`).
 */
export function parseSession(lines: string[], firstLine: number, opts: SessionOptions = {}): Step[] {
  if (!opts.implicit && !lines.some((l) => parsePrompt(l, false) !== null))
    return parsePlainCommands(lines, firstLine, opts.annotations ?? {});
  const promptOf = (text: string, interactive: boolean): PromptedLine | null => {
    if (!opts.implicit) return parsePrompt(text, interactive);
    return looksLikeCommand(text) ? { kind: 'host', prompt: '', command: text } : null;
  };

  const drafts: Draft[] = [];
  let finalPrompt: PromptKind | null = null;
  let interactive = false;
  lines.forEach((text, i) => {
    const line = firstLine + i;
    const cur = drafts.at(-1);
    if (cur?.continuing) {
      // A terminal shows continuation lines after bash's PS2 prompt, `> `.
      const continued = text.startsWith('> ') ? text.slice(2) : text;
      cur.command += `\n${continued}`;
      cur.continuing = continued.endsWith('\\');
      cur.heredocs.push(...heredocs(continued));
      return;
    }
    if (cur && cur.heredocs.length > 0) {
      const body = text.startsWith('> ') ? text.slice(2) : text;
      cur.command += `\n${body}`;
      const d = cur.heredocs[0]!;
      if (endsHeredoc(body, d)) cur.heredocs.shift();
      return;
    }
    const ctrlC = /^\s*\^C(.*)$/.exec(text);
    if (ctrlC) {
      if (!cur) throw new SessionSyntaxError('`^C` before any command', line);
      if (cur.interrupt) throw new SessionSyntaxError('a second `^C` for the same command: the first one already stopped it', line);
      cur.interrupt = true;
      cur.after = [];
      // `^CGracefully stopping…`: the terminal echoes ^C and the program answers on the same line.
      if (ctrlC[1]!.trim() !== '') cur.after.push({ text: ctrlC[1]!, line });
      return;
    }
    // Without prompts, a comment is neither a command nor output: it is not typed, not compared.
    if (opts.implicit && text.trim().startsWith('#')) return;
    const p = promptOf(text, interactive);
    if (p) {
      drafts.push({
        line,
        promptKind: opts.implicit ? 'none' : p.kind,
        prompt: p.prompt,
        command: p.command,
        continuing: p.command.endsWith('\\'),
        heredocs: heredocs(p.command),
        output: [],
        interrupt: false,
        after: null,
      });
      interactive = p.kind === 'host' ? opensInteractiveSession(p.command) || replFollows(lines, i + 1) : true;
      return;
    }
    if (!cur) {
      if (text.trim() === '') return;
      throw new SessionSyntaxError(
        opts.implicit
          ? 'output before the first command: mark the commands with `$ ` prompts'
          : 'output before the first prompt: start commands with `$ ` (or a container prompt)',
        line,
      );
    }
    (cur.after ?? cur.output).push({ text, line });
  });

  // A bare prompt that ends the block is not something typed: it is the prompt the reader
  // sees when the previous step is done (e.g. the container's shell after `docker run -it`).
  const last = drafts.at(-1);
  if (last && last.command === '' && last.output.every((o) => o.text.trim() === '') && !last.interrupt && drafts.length > 1) {
    drafts.pop();
    finalPrompt = last.promptKind;
  }

  return drafts.map((d, i) => {
    const expected = toExpected(d.output);
    return {
      line: d.line,
      promptKind: d.promptKind,
      prompt: d.prompt,
      command: d.command,
      expected,
      outcome: stepOutcome({ expected, interrupt: d.interrupt, after: toExpected(d.after ?? []) }, opts.annotations ?? {}),
      until: drafts[i + 1]?.promptKind ?? finalPrompt,
    };
  });
}

/** True when a REPL's prompt (`>>> `) shows up before the next host prompt: the command opened it. */
function replFollows(lines: string[], from: number): boolean {
  for (const line of lines.slice(from)) {
    const p = parsePrompt(line, true);
    if (p?.kind === 'host') return false;
    if (p?.kind === 'python') return true;
  }
  return false;
}

function toExpected(output: { text: string; line: number }[]): Step['expected'] {
  const kept = [...output];
  while (kept.length > 0 && kept.at(-1)!.text.trim() === '') kept.pop();
  while (kept.length > 0 && kept[0]!.text.trim() === '') kept.shift();
  if (kept.length === 0) return null;
  return { lines: kept.map((o) => o.text), startLine: kept[0]!.line, endLine: kept.at(-1)!.line };
}

/** Every line is typed (with its `\` continuations and heredoc body); comments are not. */
function parsePlainCommands(lines: string[], firstLine: number, annotations: NonNullable<SessionOptions['annotations']>): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    const end = commandEnd(lines, i);
    steps.push({
      line: firstLine + i,
      promptKind: 'none',
      prompt: '',
      command: lines.slice(i, end + 1).join('\n'),
      expected: null,
      outcome: stepOutcome({ expected: null, interrupt: false, after: null }, annotations),
      until: null,
    });
    i = end;
  }
  return steps;
}
