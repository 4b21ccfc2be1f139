import type { LabLimitReading } from '../model/cause.ts';
// What the page runner needs from the reader's terminal and machine, and nothing more: type a
// step and learn how it ended, press Ctrl-C, leave an interactive program, close; and, from the
// lab, open such a shell and write a file. `TerminalSession` (run/terminal.ts) is the real
// shell; the unit tests drive the page runner with scripted ones, without Docker.

export type EndedBy = 'host' | 'prompt' | 'timeout' | 'exit';

export interface RunOutcome {
  output: string;
  /** Exit status from the host shell; null when an interactive prompt ended the step. */
  exitCode: number | null;
  endedBy: EndedBy;
  durationMs: number;
  /** The host shell's directory after the step (known when the host shell reported). */
  cwd: string | null;
  /** After Ctrl-C was pressed (`interruptWhen`, `interruptOnTimeoutMs`): what the program printed on its way out. */
  afterInterrupt: string | null;
}

export interface StepInput {
  /** Text typed; newlines inside continue the same command (backslash lines, heredocs). */
  input: string;
  /** Accept an interactive prompt as the end of the step (not only the host shell). */
  acceptPrompt: boolean;
  /** Whether the text typed is echoed back (true inside interactive programs). */
  echoed: boolean;
  timeoutMs: number;
  /** For `^C` steps: once this holds for the output so far, send Ctrl-C. */
  interruptWhen?: (output: string) => boolean;
  /**
   * For `^C` steps: at the timeout, press Ctrl-C (the reader stops it there anyway) and wait up
   * to this long for the program's last words and the host shell, instead of ending the step.
   */
  interruptOnTimeoutMs?: number;
}

/** One reader's shell in the page's lab. */
export interface Shell {
  /** False once the shell has exited or been closed: the next step needs a new one. */
  readonly alive: boolean;
  /** The host shell's directory as it last reported it. */
  readonly cwd: string;
  /** Types a step, on the host or into an interactive program's prompt, and waits for its end. */
  run(opts: StepInput): Promise<RunOutcome>;
  /** Stops whatever runs in the foreground; false when the host shell did not answer. */
  interrupt(): Promise<boolean>;
  /** Leaves interactive programs until the host shell answers; false when it did not. */
  leaveInteractive(): Promise<boolean>;
  close(): void;
}

/** The page's lab as the page runner sees it. */
export interface PageLab {
  /** The fresh, empty directory a page starts in. */
  workdir: string;
  /** A new shell in `workdir`. Rejects when the lab (or its engine) is gone. */
  openShell(): Promise<Shell>;
  /** Writes `content` to the absolute `path` inside the lab, as the reader, creating its directory. */
  writeFile(path: string, content: string): Promise<void>;
  /** Whether the lab hit its memory or process limits since last asked, or died (engine/limits.ts). */
  limitsReached?(): Promise<LabLimitReading | null>;
  /** The last limit `limitsReached` told of (each is told once), or null: none so far. */
  lastLimitReading?(): LabLimitReading | null;
}
