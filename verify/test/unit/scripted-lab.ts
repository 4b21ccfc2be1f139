import type { LabLimitReading } from '../../src/model/cause.ts';
import type { PageLab, StepInput, RunOutcome, Shell } from '../../src/run/shell.ts';

// A lab and its shells, scripted: no Docker, no process. Each typed step gets the reply the
// test's script gives for it (by default: the host shell answers, exit status 0, no output),
// and everything the page runner did is recorded for the test to check: what was typed into
// which shell and with which options, Ctrl-C, Ctrl-D, files written, shells opened and closed.

export interface Reply {
  output?: string;
  /** Default: 0 when the host shell answered, else null. */
  exitCode?: number | null;
  /** Default: 'host'. 'exit' leaves the shell dead, as a lab whose engine died would. */
  endedBy?: RunOutcome['endedBy'];
  /** The host shell's directory after the step (default: unchanged). */
  cwd?: string;
  /**
   * A program that streams until Ctrl-C: its output, chunk by chunk. With `interruptWhen`, the
   * step's output is the chunks up to the one after which it held; the rest is never shown.
   */
  chunks?: string[];
  /** What the program prints after Ctrl-C (the `^C` echo included, as a terminal shows it). */
  afterInterrupt?: string;
}

export type Script = (input: string, opts: StepInput) => Reply | undefined;

/** A script from exact inputs to replies; anything else gets the default reply. */
export function replies(table: Record<string, Reply>): Script {
  return (input) => table[input];
}

export interface Typed {
  input: string;
  opts: StepInput;
  /** Which shell it was typed into: 1 for the page's first, 2 after that one was replaced… */
  shell: number;
}

export interface ScriptedLabOptions {
  workdir?: string;
  /** Opening a shell fails from this one on (1-based): the engine is gone. */
  openFailsFrom?: number;
  /** Ctrl-C brings the host shell back (default true); false: an editor that ignores it. */
  interruptWorks?: boolean;
  /** Ctrl-D leaves the interactive program (default true). */
  leaveWorks?: boolean;
  /** Writing a file fails with this message. */
  writeFails?: string;
  /** What each call to limitsReached answers, in turn (then null). */
  limits?: (LabLimitReading | null)[];
}

export class ScriptedLab implements PageLab {
  readonly workdir: string;
  readonly typed: Typed[] = [];
  readonly files = new Map<string, string>();
  readonly events: string[] = [];
  shellsOpened = 0;
  readonly opts: ScriptedLabOptions;
  private readonly script: Script;

  constructor(script: Script = () => undefined, opts: ScriptedLabOptions = {}) {
    this.script = script;
    this.opts = opts;
    this.workdir = opts.workdir ?? '/home/lector/curso';
  }

  /** What was typed, in order (the inputs only). */
  get inputs(): string[] {
    return this.typed.map((t) => t.input);
  }

  async openShell(): Promise<Shell> {
    const n = ++this.shellsOpened;
    if (this.opts.openFailsFrom !== undefined && n >= this.opts.openFailsFrom) {
      throw Object.assign(new Error('connect ECONNREFUSED /fake.sock'), { code: 'ECONNREFUSED' });
    }
    this.events.push(`open ${n}`);
    return new ScriptedShell(this, n);
  }

  /** How often the page runner asked about the lab's limits. */
  limitsAsked = 0;

  private lastReading: LabLimitReading | null = null;

  async limitsReached(): Promise<LabLimitReading | null> {
    this.limitsAsked++;
    const reading = this.opts.limits?.shift() ?? null;
    if (reading) this.lastReading = reading;
    return reading;
  }

  lastLimitReading(): LabLimitReading | null {
    return this.lastReading;
  }

  async writeFile(path: string, content: string): Promise<void> {
    if (this.opts.writeFails) throw new Error(this.opts.writeFails);
    this.events.push(`write ${path}`);
    this.files.set(path, content);
  }

  /** @internal the shell's half of the bookkeeping */
  reply(input: string, opts: StepInput, shell: number): Reply {
    this.typed.push({ input, opts, shell });
    this.events.push(`type ${shell}: ${input}`);
    return this.script(input, opts) ?? {};
  }
}

class ScriptedShell implements Shell {
  alive = true;
  cwd: string;
  private readonly lab: ScriptedLab;
  private readonly n: number;

  constructor(lab: ScriptedLab, n: number) {
    this.lab = lab;
    this.n = n;
    this.cwd = lab.workdir;
  }

  async run(opts: StepInput): Promise<RunOutcome> {
    if (!this.alive) throw new Error('typed into a closed shell');
    const r = this.lab.reply(opts.input, opts, this.n);
    let output = r.output ?? '';
    let afterInterrupt = r.afterInterrupt ?? null;
    if (r.chunks) {
      const shown: string[] = [];
      for (const chunk of r.chunks) {
        shown.push(chunk);
        // Ctrl-C pressed here: the terminal echoes it, and the program says its last words.
        if (opts.interruptWhen?.(shown.join('\n'))) {
          afterInterrupt ??= '^C';
          break;
        }
      }
      output = shown.join('\n');
    }
    const endedBy = r.endedBy ?? 'host';
    if (endedBy === 'exit') this.alive = false;
    if (endedBy === 'host') this.cwd = r.cwd ?? this.cwd;
    return {
      output,
      exitCode: r.exitCode !== undefined ? r.exitCode : endedBy === 'host' ? 0 : null,
      endedBy,
      durationMs: 1,
      cwd: endedBy === 'host' ? this.cwd : null,
      afterInterrupt,
    };
  }

  async interrupt(): Promise<boolean> {
    this.lab.events.push(`ctrl-c ${this.n}`);
    return this.lab.opts.interruptWorks ?? true;
  }

  async leaveInteractive(): Promise<boolean> {
    this.lab.events.push(`ctrl-d ${this.n}`);
    return this.lab.opts.leaveWorks ?? true;
  }

  close(): void {
    if (this.alive) this.lab.events.push(`close ${this.n}`);
    this.alive = false;
  }
}
