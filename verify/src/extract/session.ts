import type { PromptKind, Step } from '../model/plan.ts';
import { opensInteractiveSession, parsePrompt } from './prompts.ts';

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
  output: { text: string; line: number }[];
  interrupt: boolean;
}

/**
 * Splits a shell-session block into steps. `lines` are the block's dedented lines and
 * `firstLine` the file line of the first of them.
 *
 * Lines after a prompt are what the reader types; lines up to the next prompt are what they
 * see. A block without any prompt is a plain list of commands with no documented output.
 */
export function parseSession(lines: string[], firstLine: number): Step[] {
  const hasPrompt = lines.some((l) => parsePrompt(l, false) !== null);
  if (!hasPrompt) return parsePlainCommands(lines, firstLine);

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
      return;
    }
    if (text.trim() === '^C') {
      if (!cur) throw new SessionSyntaxError('`^C` before any command', line);
      cur.interrupt = true;
      return;
    }
    const p = parsePrompt(text, interactive);
    if (p) {
      drafts.push({
        line,
        promptKind: p.kind,
        prompt: p.prompt,
        command: p.command,
        continuing: p.command.endsWith('\\'),
        output: [],
        interrupt: false,
      });
      interactive = p.kind === 'host' ? opensInteractiveSession(p.command) || replFollows(lines, i + 1) : true;
      return;
    }
    if (!cur) {
      if (text.trim() === '') return;
      throw new SessionSyntaxError(
        'output before the first prompt: start commands with `$ ` (or a container prompt)',
        line,
      );
    }
    if (cur.interrupt && text.trim() !== '') {
      throw new SessionSyntaxError('output after `^C`: the interrupted command prints nothing more', line);
    }
    cur.output.push({ text, line });
  });

  // A bare prompt that ends the block is not something typed: it is the prompt the reader
  // sees when the previous step is done (e.g. the container's shell after `docker run -it`).
  const last = drafts.at(-1);
  if (last && last.command === '' && last.output.every((o) => o.text.trim() === '') && drafts.length > 1) {
    drafts.pop();
    finalPrompt = last.promptKind;
  }

  return drafts.map((d, i) => ({
    line: d.line,
    promptKind: d.promptKind,
    prompt: d.prompt,
    command: d.command,
    expected: toExpected(d.output),
    interrupt: d.interrupt,
    until: drafts[i + 1]?.promptKind ?? finalPrompt,
  }));
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

function parsePlainCommands(lines: string[], firstLine: number): Step[] {
  const steps: Step[] = [];
  let continuing = false;
  lines.forEach((text, i) => {
    if (continuing) {
      steps.at(-1)!.command += `\n${text}`;
      continuing = text.endsWith('\\');
      return;
    }
    if (text.trim() === '') return;
    steps.push({
      line: firstLine + i,
      promptKind: 'none',
      prompt: '',
      command: text,
      expected: null,
      interrupt: false,
      until: null,
    });
    continuing = text.endsWith('\\');
  });
  return steps;
}
