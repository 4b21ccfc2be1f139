import { opensInteractiveSession } from '../src/extract/prompts.ts';
import type { Block, Step } from '../src/model/plan.ts';
import type { BlockResult, StepResult } from '../src/model/report.ts';
import { stepTimeoutMs } from '../src/run/timeouts.ts';

// The bench's faithful replay of a page, as one bash script: the commands the harness typed, in
// page order, in one shell, the way a careful human at a terminal would replay them. Pure: the
// script is built from the page and the harness's results; overhead.ts runs it in a fresh lab.
//
// The whole script runs inside one PTY (`script`), because the reader's commands see a terminal
// in the harness too, and many print differently without one (`ls` in columns, `docker pull`
// and `docker build` progress). So steps cannot each write to a file of their own: every step
// is framed in the one transcript by invisible OSC markers (start, and end with its exit
// status; both with the time), and the transcript is cut and rendered afterwards
// (replay-transcript.ts).
//
// Stdin never reaches the script: a step reads `/dev/null`, and a step the harness ran with a
// terminal of its own (`docker run -it`, the program the next lines were typed into) gets its
// own PTY from `script -qec`, fed with exactly the lines the harness typed into it, then
// end-of-file (Ctrl-D, which is how the harness leaves an interactive program too).
//
// Where the replay cannot do exactly what the harness did, the comparison says so (the page is
// then reported, not timed): a program given its own PTY starts in a new shell (`script -c`),
// so the page's unexported variables do not reach it; the lines typed into it arrive at once,
// not prompt by prompt; IDs are found again only in commands typed at the reader's shell.

/** Where the replay keeps its script and its transcript, inside the lab. */
export const REPLAY_DIR = '/tmp/curso-replay';
/** The harness's terminal size (run/terminal.ts), so programs lay their output out the same. */
export const REPLAY_COLS = 220;
export const REPLAY_ROWS = 50;
/** The OSC number of the step markers (the harness's own shell uses 7777). */
export const MARKER_OSC = 7778;

export type ReplayKind =
  /** Typed at the reader's shell, stdin from /dev/null. */
  | 'plain'
  /** Ran with a terminal: its own PTY, fed with the lines typed into it. */
  | 'terminal'
  /** The harness waited out its limit: the replay waits as long. */
  | 'timed-out'
  /** `^C` on the page: interrupted after as long as the harness let it run. */
  | 'interrupted'
  /** `verify-background`: started in the background, output discarded, as the harness does. */
  | 'background';

/** One step of the replay: the harness's step (and, for a terminal, the steps typed into it). */
export interface ReplayStep {
  /** Its number in the script's markers. */
  n: number;
  file: string;
  line: number;
  kind: ReplayKind;
  /** The harness's result for the step. */
  harness: StepResult;
  /** The steps the harness typed into the program this step opened (kind `terminal`). */
  typed: StepResult[];
  /** The documented output, when the harness's step passed on it (another proof the replay did the same). */
  documented: string[] | null;
}

/** A documented ID bound by the harness, found again in the replay's own output. */
interface Bound {
  /** The ID as the harness typed it (the real one, as long as the page wrote it). */
  typed: string;
  /** The earlier step whose output showed it, and which of its hex words it was (1-based). */
  from: ReplayStep;
  occurrence: number;
  /** The whole hex word the harness saw there. */
  word: string;
}

export interface Replay {
  script: string;
  steps: ReplayStep[];
  /** Blocks the harness did not run to the end (`error`): not replayed, so the page is not comparable. */
  errors: { file: string; line: number }[];
}

/** The hex words of an output that may be IDs, in order (the replay finds them with `grep` the same way). */
export function hexWords(text: string): string[] {
  return (text.match(/[0-9A-Za-z]+/g) ?? []).filter((w) => /^[0-9a-f]{12,64}$/.test(w));
}

export function replayScript(blocks: readonly Block[], results: readonly BlockResult[]): Replay {
  const byBlock = new Map(results.map((r) => [`${r.file}:${r.line}`, r]));
  const lines: string[] = [`stty cols ${REPLAY_COLS} rows ${REPLAY_ROWS} 2>/dev/null`];
  const steps: ReplayStep[] = [];
  const errors: { file: string; line: number }[] = [];
  // Steps whose output a later command needs (it typed an ID they showed): captured to a file too.
  const sources = new Set<ReplayStep>();
  const bound = new Map<ReplayStep, Bound[]>();

  // Pass 1: the steps, grouped as the harness ran them.
  type Entry = { block: Block; file: true } | { block: Block; step: ReplayStep };
  const entries: Entry[] = [];
  let open: ReplayStep | null = null;
  for (const b of blocks) {
    const r = byBlock.get(`${b.file}:${b.line}`);
    if (!r || r.status === 'skipped') continue;
    if (r.status === 'error') {
      errors.push({ file: b.file, line: b.line });
      continue;
    }
    if (b.kind === 'file') {
      open = null;
      entries.push({ block: b, file: true });
      continue;
    }
    if (b.kind !== 'session') continue;
    const planned = new Map(b.steps.map((s) => [s.line, s]));
    for (const s of r.steps) {
      // Not typed at all: the container's shell it belonged to never opened.
      if (s.actual === null) continue;
      if (s.promptKind === 'container' || s.promptKind === 'python') {
        open?.typed.push(s);
        continue;
      }
      const step = replayStep(steps.length + 1, b, s, planned.get(s.line));
      steps.push(step);
      entries.push({ block: b, step });
      open = step.kind === 'terminal' ? step : null;
      for (const typed of hexWords(s.ran).filter((w) => !s.command.includes(w))) {
        const found = findShown(steps.slice(0, -1), typed);
        if (!found) continue;
        sources.add(found.from);
        bound.set(step, [...(bound.get(step) ?? []), { typed, ...found }]);
      }
    }
  }

  // Pass 2: the script.
  for (const e of entries) {
    if ('file' in e) {
      const b = e.block as Extract<Block, { kind: 'file' }>;
      const content = b.code.replace(/\n*$/, '');
      const eof = delimiter(content);
      lines.push(`mkdir -p "$(dirname ${quote(b.writeTo)})" && cat > ${quote(b.writeTo)} <<'${eof}'\n${content}\n${eof}`);
      continue;
    }
    const s = e.step;
    let cmd = s.harness.ran;
    const ids = bound.get(s) ?? [];
    ids.forEach((id, i) => {
      const file = `${REPLAY_DIR}/${id.from.n}`;
      // The ID the replay's own earlier step showed at the same place, as long as the page wrote it.
      lines.push(
        `__id${i}=$(tail -n +2 ${file} | grep -oE '[0-9A-Za-z]+' | grep -xE '[0-9a-f]{12,64}' | sed -n '${id.occurrence}p'); __id${i}=\${__id${i}:0:${id.typed.length}}`,
      );
      cmd = cmd.split(id.typed).join(`\${__id${i}}`);
    });
    lines.push(`printf '\\033]${MARKER_OSC};s;${s.n};%s\\007' "$EPOCHREALTIME"`);
    lines.push(stepLine(s, cmd, e.block, sources.has(s)));
    lines.push(`printf '\\033]${MARKER_OSC};e;${s.n};%s;%s\\007' "$?" "$EPOCHREALTIME"`);
  }
  return { script: `${lines.join('\n')}\n`, steps, errors };
}

function replayStep(n: number, block: Block, s: StepResult, planned: Step | undefined): ReplayStep {
  const kind: ReplayKind = block.annotations['verify-background']
    ? 'background'
    : s.cause?.kind === 'timeout'
      ? 'timed-out'
      : planned?.outcome.expect === 'interrupted'
        ? 'interrupted'
        : asksForTerminal(s.ran) || planned?.until === 'container' || planned?.until === 'python'
          ? 'terminal'
          : 'plain';
  const documented = s.status === 'passed' && s.proof === 'output' && s.expected !== null ? s.expected.split('\n') : null;
  return { n, file: block.file, line: s.line, kind, harness: s, typed: [], documented };
}

/** The earliest step whose output showed a hex word starting with `typed`, and which word it was. */
function findShown(earlier: readonly ReplayStep[], typed: string): Omit<Bound, 'typed'> | null {
  for (const from of earlier) {
    const words = hexWords(from.harness.actual ?? '');
    const k = words.findIndex((w) => w.startsWith(typed));
    if (k >= 0) return { from, occurrence: k + 1, word: words[k]! };
  }
  return null;
}

/** A docker command given a terminal (`-t`, `-it`, `--tty`), or one that opens an interactive session. */
export function asksForTerminal(command: string): boolean {
  if (opensInteractiveSession(command)) return true;
  if (!/^\s*(?:sudo\s+)?docker\s+(?:container\s+)?(?:run|exec|create)\b/.test(command)) return false;
  // A cluster of docker's one-letter switches (`-t`, `-it`, `-dit`), not a value (`-uroot`).
  return command.split(/\s+/).some((w) => w === '--tty' || /^-[diP]*t[diP]*$/.test(w));
}

function stepLine(s: ReplayStep, cmd: string, block: Block, captured: boolean): string {
  const sh = (c: string) => `SHELL=/bin/bash script -qec ${quote(c)}`;
  switch (s.kind) {
    case 'background':
      return `{ ${cmd}\n} </dev/null >/dev/null 2>&1 &`;
    case 'timed-out': {
      // The harness waited out the step's limit (a command that never ends, or an editor that
      // waits for a human); the replay waits as long, whether or not the command needs a tty.
      const cause = s.harness.cause;
      const limit =
        cause?.kind === 'timeout' ? cause.seconds : Math.ceil(stepTimeoutMs(s.harness.ran, block.annotations['verify-timeout']) / 1000);
      return `__t=$SECONDS; timeout -s INT ${limit} bash -c ${quote(cmd)} </dev/null; __r=$(( ${limit} - (SECONDS - __t) )); [ $__r -gt 0 ] && sleep $__r`;
    }
    case 'interrupted':
      return `timeout -s INT ${Math.max(1, Math.ceil(s.harness.durationMs / 1000))} bash -c ${quote(cmd)} </dev/null`;
    case 'terminal': {
      const typed = s.typed.map((t) => t.ran).join('\n');
      const eof = delimiter(typed);
      const input = s.typed.length > 0 ? ` <<'${eof}'\n${typed}\n${eof}` : ' </dev/null';
      return `${sh(cmd)} ${captured ? `${REPLAY_DIR}/${s.n}` : '/dev/null'}${input}`;
    }
    case 'plain':
      // A step a later command takes an ID from is also written to a file, through a PTY of its
      // own so it still sees a terminal; the others run in the replay's shell itself (`cd` and
      // variables carry on, as they do in the harness's shell).
      return captured ? `${sh(cmd)} ${REPLAY_DIR}/${s.n} </dev/null` : `{ ${cmd}\n} </dev/null`;
  }
}

/** A heredoc delimiter that is no line of `text`. */
function delimiter(text: string): string {
  let eof = 'CURSO_REPLAY_EOF';
  const lines = new Set(text.split('\n'));
  while (lines.has(eof)) eof += '_';
  return eof;
}

export function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
