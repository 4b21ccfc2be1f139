import { spawn, type IPty } from '@lydell/node-pty';
import xtermHeadless from '@xterm/headless';
import type { EndedBy, StepInput, RunOutcome, Shell } from './shell.ts';
import type { ShellCommand } from '../engine/lab.ts';
import { isIdlePrompt } from '../extract/prompts.ts';

// One reader's terminal: bash inside the page's lab, driven through a real PTY and rendered
// by a headless xterm, so outputs are what a terminal would show (progress bars collapsed,
// colours gone, stdout and stderr interleaved as they came).
//
// The host shell runs with echo off and empty prompts; after every command bash prints an
// invisible OSC sequence carrying the exit status and the working directory. Prompts of
// interactive programs (a container's shell, Python) are recognised on the cursor line.

const { Terminal } = xtermHeadless;
type XTerm = InstanceType<typeof Terminal>;

const OSC_DONE = 7777;
const COLS = 220;
/** How long a recognised interactive prompt must stay idle before we trust it. */
const PROMPT_SETTLE_MS = 150;

interface Pos {
  row: number;
  col: number;
}

export class TerminalSession implements Shell {
  private readonly pty: IPty;
  private readonly term: XTerm;
  private done: { exitCode: number; cwd: string; pos: Pos } | null = null;
  private exited = false;
  private listeners = new Set<() => void>();
  private pendingWrites = 0;
  cwd: string;

  private constructor(pty: IPty, term: XTerm, cwd: string) {
    this.pty = pty;
    this.term = term;
    this.cwd = cwd;
  }

  static async start(spec: ShellCommand, workdir: string, timeoutMs = 30_000): Promise<TerminalSession> {
    const term = new Terminal({ cols: COLS, rows: 50, scrollback: 200_000, allowProposedApi: true });
    const pty = spawn(spec.file, spec.args, {
      name: 'xterm-256color',
      cols: COLS,
      rows: 50,
      env: { ...process.env, ...spec.env } as Record<string, string>,
    });
    const session = new TerminalSession(pty, term, workdir);
    term.parser.registerOscHandler(OSC_DONE, (data) => {
      const [code, ...cwd] = data.split(';');
      const b = term.buffer.active;
      session.done = { exitCode: Number(code), cwd: cwd.join(';'), pos: { row: b.baseY + b.cursorY, col: b.cursorX } };
      return true;
    });
    pty.onData((d) => {
      if (session.exited) return; // closed: the terminal is disposed
      session.pendingWrites++;
      term.write(d, () => {
        session.pendingWrites--;
        for (const l of [...session.listeners]) l();
      });
    });
    pty.onExit(() => {
      session.exited = true;
      for (const l of [...session.listeners]) l();
    });
    // Quiet, machine-friendly host shell: no echo, no prompts, a marker after each command,
    // no job-control chatter ("[1] 1234") for background commands.
    const setup = [
      'stty -echo',
      `export PS1='' PS2=''`,
      'unset HISTFILE',
      'set +m',
      `PROMPT_COMMAND='printf "\\033]${OSC_DONE};%s;%s\\007" "$?" "$PWD"'`,
    ].join('; ');
    const ready = await session.run({ input: setup, acceptPrompt: false, echoed: true, timeoutMs });
    if (ready.endedBy !== 'host') {
      session.close();
      throw new Error(`the lab's shell did not start (${ready.endedBy}): ${ready.output.slice(0, 500)}`);
    }
    return session;
  }

  get alive(): boolean {
    return !this.exited;
  }

  async run(opts: StepInput): Promise<RunOutcome> {
    const started = Date.now();
    await this.settled();
    this.done = null;
    const start = this.cursor();
    // The row may already hold something (the shell's first prompt, output with no final
    // newline). A program that rewinds to the row's start (BuildKit's `[+] Building` header,
    // progress bars) writes over it: the step's output is read from column 0, and that older
    // text is dropped only if it is still there.
    const older = this.term.buffer.active.getLine(start.row)?.translateToString(false, 0, start.col) ?? '';
    const from = { row: start.row, col: 0 };
    this.pty.write(`${opts.input}\r`);

    return await new Promise<RunOutcome>((resolve) => {
      let promptTimer: NodeJS.Timeout | null = null;
      let interruptedAt: Pos | null = null;
      const finish = (endedBy: EndedBy, end: Pos, exitCode: number | null) => {
        clearTimeout(timer);
        if (promptTimer) clearTimeout(promptTimer);
        this.listeners.delete(check);
        if (this.done) this.cwd = this.done.cwd;
        let output = this.text(from, interruptedAt ?? end);
        output = withoutOlder(output, older);
        if (opts.echoed) output = dropEcho(output, opts.input);
        const afterInterrupt = interruptedAt ? this.text(interruptedAt, end) : null;
        resolve({ output, exitCode, endedBy, durationMs: Date.now() - started, cwd: this.done?.cwd ?? null, afterInterrupt });
      };
      const check = () => {
        if (this.done) return finish('host', this.done.pos, this.done.exitCode);
        if (this.exited) return finish('exit', this.cursor(), null);
        if (opts.interruptWhen && !interruptedAt && opts.interruptWhen(this.text(start, this.cursor()))) {
          interruptedAt = this.cursor();
          this.pty.write('\x03');
          return;
        }
        if (opts.acceptPrompt && this.atInteractivePrompt(start)) {
          if (promptTimer) clearTimeout(promptTimer);
          promptTimer = setTimeout(() => {
            if (this.pendingWrites === 0 && !this.done && this.atInteractivePrompt(start)) {
              const c = this.cursor();
              finish('prompt', { row: c.row, col: 0 }, null);
            }
          }, PROMPT_SETTLE_MS);
        }
      };
      const onTimeout = () => {
        if (opts.interruptOnTimeoutMs !== undefined && !interruptedAt) {
          interruptedAt = this.cursor();
          this.pty.write('\x03');
          timer = setTimeout(() => finish('timeout', this.cursor(), null), opts.interruptOnTimeoutMs);
          return;
        }
        finish('timeout', this.cursor(), null);
      };
      let timer = setTimeout(onTimeout, opts.timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Stops whatever runs in the foreground (Ctrl-C, then Ctrl-D) and waits for the host shell. */
  async interrupt(timeoutMs = 5_000): Promise<boolean> {
    for (const key of ['\x03', '\x03', '\x04', '\x04']) {
      this.done = null;
      this.pty.write(key);
      await this.waitFor(() => this.done !== null || this.exited, timeoutMs / 4);
      if (this.done) return true;
      if (this.exited) return false;
    }
    return false;
  }

  /** Leaves interactive programs (Python, a container's shell) until the host shell answers. */
  async leaveInteractive(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    this.done = null;
    while (Date.now() < deadline && !this.exited) {
      this.pty.write('\x04');
      if (await this.waitFor(() => this.done !== null || this.exited, 1_500)) return this.done !== null;
    }
    return false;
  }

  close(): void {
    const wasAlive = !this.exited;
    this.exited = true;
    if (wasAlive) {
      try {
        this.pty.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
    this.term.dispose();
  }

  private waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (cond()) {
          clearTimeout(timer);
          this.listeners.delete(check);
          resolve(true);
        }
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        resolve(false);
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  private async settled(): Promise<void> {
    while (this.pendingWrites > 0) await new Promise((r) => setTimeout(r, 5));
  }

  private cursor(): Pos {
    const b = this.term.buffer.active;
    return { row: b.baseY + b.cursorY, col: b.cursorX };
  }

  /** Whether the step's output so far ends in an interactive program's prompt. */
  private atInteractivePrompt(start: Pos): boolean {
    const c = this.cursor();
    if (c.row === start.row && c.col <= start.col) return false;
    // On the step's first row only what the step printed counts: the row may begin with
    // something older (the shell's own first prompt, racing our setup line).
    const from = c.row === start.row ? start.col : 0;
    const line = this.term.buffer.active.getLine(c.row)?.translateToString(false, from, c.col) ?? '';
    // The same prompt grammar the pages are read with (extract/prompts.ts).
    return isIdlePrompt(line.trimEnd());
  }

  /** The screen text between two positions, joining lines the terminal wrapped. */
  private text(from: Pos, to: Pos): string {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let row = from.row; row <= to.row; row++) {
      const line = b.getLine(row);
      if (!line) break;
      const startCol = row === from.row ? from.col : 0;
      const endCol = row === to.row ? to.col : undefined;
      const s = line.translateToString(endCol === undefined, startCol, endCol);
      if (line.isWrapped && out.length > 0) out[out.length - 1] += s;
      else out.push(s);
    }
    return out.join('\n').replace(/[ \t]+$/gm, '');
  }
}

/** A step's output read from its row's start, without what the row held before it, if still there. */
function withoutOlder(output: string, older: string): string {
  if (older === '') return output;
  if (output.startsWith(older)) return output.slice(older.length);
  // Lines are read without trailing spaces: a prompt (`bash-5.2$ `) alone on its row ends in one.
  const trimmed = older.trimEnd();
  if (trimmed !== '' && (output === trimmed || output.startsWith(`${trimmed}\n`))) return output.slice(trimmed.length);
  return output;
}

/** Inside an interactive program the typed command is usually echoed: drop those lines. */
function dropEcho(output: string, input: string): string {
  const lines = output.split('\n');
  let k = 0;
  for (const typed of input.split('\n')) {
    if (k < lines.length && lines[k]!.trimEnd().endsWith(typed.trimEnd())) k++;
    else break;
  }
  return lines.slice(k).join('\n');
}
